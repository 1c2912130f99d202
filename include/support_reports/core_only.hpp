// Included last by every core header: core code must never see Postgres headers, so that it
// builds and is unit-tested without a server and can never longjmp through C++ frames.
#pragma once
#ifdef POSTGRES_H
#error "support_reports core headers must not be compiled together with Postgres headers"
#endif
