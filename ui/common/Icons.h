#pragma once

#include <QColor>
#include <QIcon>

#include "integrations/Integration.h"

// Theme icons with bundled fallbacks (resources/icons), and the health dot.
namespace Icons {
QIcon themed(const QString& themeName, const QString& fallback);
QIcon healthDot(Integration::Health health);
QColor healthColor(Integration::Health health);
QIcon application();
} // namespace Icons
