#ifndef WAYMARK_COPENSSL_SHIM_H
#define WAYMARK_COPENSSL_SHIM_H
/* Only the digest API of OpenSSL's libcrypto (Debian's libssl-dev): SHA-256 with SHA-NI where the CPU has it. */
#include <openssl/evp.h>
#endif
