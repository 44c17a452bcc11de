#include "common/Crc32c.h"
#include "common/Status.h"

#include <QTest>

#include <random>
#include <string>
#include <vector>

using namespace skiff;

class StatusCrcTest : public QObject {
    Q_OBJECT
private slots:
    void crcKnownVectors()
    {
        // RFC 3720 appendix B.4 check value for "123456789".
        QCOMPARE(crc32c("123456789"), 0xE3069283u);
        QCOMPARE(crc32c(std::string(32, '\0')), 0x8A9136AAu);
        QCOMPARE(crc32c(std::string(32, '\xff')), 0x62A8AB43u);
    }
    void crcIsIncremental()
    {
        std::string data;
        for (int i = 0; i < 1000; ++i)
            data.push_back(char(i * 7));
        for (size_t split : {size_t(0), size_t(1), size_t(7), size_t(8), size_t(500), data.size()}) {
            uint32_t c = crc32c(0, data.data(), split);
            c = crc32c(c, data.data() + split, data.size() - split);
            QCOMPARE(c, crc32c(data));
        }
    }
    // The interleaved path (three blocks of 8 KiB or 256 B at once) against the table-driven
    // code, at every length around the block edges, unaligned starts and a running CRC.
    void fastPathMatchesThePortableCode()
    {
        std::mt19937 rng(7);
        std::string data(3 * 8192 * 2 + 3 * 256 * 3 + 64, '\0');
        for (char &c : data)
            c = char(rng());
        std::vector<size_t> lengths;
        for (size_t edge : {size_t(0), size_t(3 * 256), size_t(3 * 8192), size_t(3 * 8192 + 3 * 256), size_t(2 * 3 * 8192)})
            for (size_t d = 0; d < 24; ++d) {
                lengths.push_back(edge + d);
                if (edge >= d)
                    lengths.push_back(edge - d);
            }
        for (int i = 0; i < 200; ++i)
            lengths.push_back(rng() % (data.size() - 8));
        for (size_t n : lengths)
            for (size_t offset : {size_t(0), size_t(1), size_t(5)})
                for (uint32_t start : {0u, 0xdeadbeefu}) {
                    const char *p = data.data() + offset;
                    QCOMPARE(crc32c(start, p, n), crc32cPortable(start, p, n));
                }
        QCOMPARE(crc32cPortable(0, "123456789", 9), 0xE3069283u);
    }
    void statusCarriesContext()
    {
        Status s = corruption("batch CRC mismatch").withContext("segment 0.log offset 42");
        QVERIFY(!s.isOk());
        QCOMPARE(s.code(), StatusCode::Corruption);
        QCOMPARE(QString::fromStdString(s.toString()), QString("Corruption: segment 0.log offset 42: batch CRC mismatch"));
        Result<int> r = 5;
        QVERIFY(r.isOk());
        QCOMPARE(*r, 5);
        Result<int> e = notFound("topic t");
        QVERIFY(!e.isOk());
        QCOMPARE(e.status().code(), StatusCode::NotFound);
    }
};

QTEST_GUILESS_MAIN(StatusCrcTest)
#include "StatusCrcTest.moc"
