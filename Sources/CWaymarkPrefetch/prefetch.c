// The prefetch hint is a static inline function in include/waymark_prefetch.h;
// this file gives the target something to compile.
#include "waymark_prefetch.h"
