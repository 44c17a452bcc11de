#include "auth/CertificatePrincipal.h"

#include <openssl/bio.h>
#include <openssl/x509.h>

#include <memory>

namespace skiff::auth {

std::optional<std::string> certificatePrincipal(std::string_view der)
{
    const auto *p = reinterpret_cast<const unsigned char *>(der.data());
    std::unique_ptr<X509, decltype(&X509_free)> cert(d2i_X509(nullptr, &p, long(der.size())), X509_free);
    if (!cert)
        return std::nullopt;
    std::unique_ptr<BIO, decltype(&BIO_free)> out(BIO_new(BIO_s_mem()), BIO_free);
    // RFC 2253 without escaping UTF-8 as \XX (Java keeps non-ASCII characters as they are).
    if (!out || X509_NAME_print_ex(out.get(), X509_get_subject_name(cert.get()), 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0)
        return std::nullopt;
    char *text = nullptr;
    const long length = BIO_get_mem_data(out.get(), &text);
    return "User:" + std::string(text, size_t(length));
}

} // namespace skiff::auth
