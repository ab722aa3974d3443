extern "C" {
#include "postgres.h"
#include "fmgr.h"
}

#include "pg/compat.h"
#include "pg/settings.h"

extern "C" {

IDCONV_MODULE_MAGIC("idconv");

void _PG_init(void);
void _PG_init(void) { idconv::pg::define_settings(); }

}  // extern "C"
