// The only way boundary files include Postgres: C++ and third-party headers first, then the server
// headers inside extern "C" (PG 15 headers have no C++ guards). Postgres' printf/Min/Max macros
// are live after this include, so nothing after it may use std::printf and friends.
#pragma once

#include <cstddef>
#include <cstdint>

extern "C" {
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "pgtime.h"
#include "parser/scansup.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"
#include "access/htup_details.h"
}
