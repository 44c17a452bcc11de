#include "auth/ScramFormulas.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace skiff::auth {

namespace {

const EVP_MD *digestOf(ScramMechanism mechanism)
{
    return mechanism == ScramMechanism::Sha256 ? EVP_sha256() : EVP_sha512();
}

const unsigned char *bytesOf(std::string_view s) { return reinterpret_cast<const unsigned char *>(s.data()); }

} // namespace

std::string saltedPassword(ScramMechanism mechanism, std::string_view password, std::string_view salt, int32_t iterations)
{
    std::string out(metadata::scramHashBytes(mechanism), '\0');
    if (PKCS5_PBKDF2_HMAC(password.data(), int(password.size()), bytesOf(salt), int(salt.size()), iterations,
                          digestOf(mechanism), int(out.size()), reinterpret_cast<unsigned char *>(out.data())) != 1)
        throw std::runtime_error("PKCS5_PBKDF2_HMAC failed");   // only on allocation failure
    return out;
}

std::string hmac(ScramMechanism mechanism, std::string_view key, std::string_view data)
{
    std::string out(EVP_MAX_MD_SIZE, '\0');
    unsigned int size = 0;
    if (!HMAC(digestOf(mechanism), key.data(), int(key.size()), bytesOf(data), data.size(),
              reinterpret_cast<unsigned char *>(out.data()), &size))
        throw std::runtime_error("HMAC failed");
    out.resize(size);
    return out;
}

std::string hash(ScramMechanism mechanism, std::string_view data)
{
    std::string out(EVP_MAX_MD_SIZE, '\0');
    unsigned int size = 0;
    if (EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char *>(out.data()), &size, digestOf(mechanism),
                   nullptr) != 1)
        throw std::runtime_error("EVP_Digest failed");
    out.resize(size);
    return out;
}

ScramCredential credentialFromSaltedPassword(ScramMechanism mechanism, std::string_view salted, std::string_view salt,
                                             int32_t iterations)
{
    ScramCredential c;
    c.iterations = iterations;
    c.salt = std::string(salt);
    c.storedKey = hash(mechanism, hmac(mechanism, salted, "Client Key"));
    c.serverKey = hmac(mechanism, salted, "Server Key");
    return c;
}

ScramCredential credentialFromPassword(ScramMechanism mechanism, std::string_view password, std::string_view salt,
                                       int32_t iterations)
{
    return credentialFromSaltedPassword(mechanism, saltedPassword(mechanism, password, salt, iterations), salt, iterations);
}

std::string randomBytes(size_t bytes)
{
    std::string out(bytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char *>(out.data()), int(bytes)) != 1)
        throw std::runtime_error("RAND_bytes failed");
    return out;
}

} // namespace skiff::auth
