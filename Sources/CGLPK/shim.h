#ifndef WAYMARK_CGLPK_SHIM_H
#define WAYMARK_CGLPK_SHIM_H
#include <glpk.h>
#endif
