#ifndef WAYMARK_PREFETCH_H
#define WAYMARK_PREFETCH_H

/// Asks the CPU to bring the cache line at `p` in ahead of use (a hint: no
/// fault, no effect on results). Swift has no prefetch of its own; this is
/// inlined into the callers through the module's header.
static inline void waymark_prefetch(const void *p) {
    __builtin_prefetch(p, 0, 3);
}

#endif
