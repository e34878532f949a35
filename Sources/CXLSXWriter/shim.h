#ifndef WAYMARK_CXLSXWRITER_SHIM_H
#define WAYMARK_CXLSXWRITER_SHIM_H
#include <xlsxwriter.h>
#endif
