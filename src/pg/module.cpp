extern "C" {
#include "postgres.h"
#include "fmgr.h"
}

#include "pg/settings.h"

extern "C" {

PG_MODULE_MAGIC;

void _PG_init(void);
void _PG_init(void) { idconv::pg::define_settings(); }

}  // extern "C"
