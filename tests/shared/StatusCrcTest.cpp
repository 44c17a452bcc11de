#include "common/Crc32c.h"
#include "common/Status.h"

#include <QTest>
#include <string>

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
