#pragma once

#include <QString>

struct Delivery;

// What 409 triage found about a duplicate, for the Delivery Queue's detail pane: the kind in words and, for a
// conflicting one, every differing JSON path with the value sent and the value the receiver stored.
namespace DuplicateDetail {

// Empty unless the delivery is a duplicate.
QString html(const Delivery& delivery);
// "duplicate (conflicting)", or the state name.
QString stateText(const Delivery& delivery);

} // namespace DuplicateDetail
