#pragma once

#include "completions/CompletionStore.h"

class QIODevice;

// Completion records as CSV, for people and spreadsheets: the records a filter selects, in the given order, times
// in ISO 8601 (UTC), a header line first.
namespace CompletionCsv {
// The number of records written, or -1 (error set).
int write(Store& store, const CompletionFilter& filter, CompletionStore::Sort sort, bool descending, QIODevice& out,
          QString* error);
} // namespace CompletionCsv
