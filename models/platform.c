/* platform.c — the registry of platform types, looked up by the scenario's
 * `kind` (see platform.h). A new model adds its descriptor here. */
#include "models/platform.h"

#include <string.h>

#include "models/cloudrun/cloudrun.h"
#include "models/ecs/service.h"
#include "models/fixed.h"

const platform_type *const platform_types[] = {&platform_fixed, &platform_ecs,
                                               &platform_cloudrun, NULL};

const platform_type *platform_find(const char *kind) {
  if (!kind) return NULL;
  for (const platform_type *const *t = platform_types; *t; t++)
    if (strcmp((*t)->name, kind) == 0) return *t;
  return NULL;
}
