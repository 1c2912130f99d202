// The module's magic block: exactly one per shared library.
#include "postgres.hpp"

extern "C" {
PG_MODULE_MAGIC;
}
