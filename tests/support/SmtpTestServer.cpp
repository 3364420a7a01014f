#include "SmtpTestServer.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

SmtpTestServer::SmtpTestServer() = default;

SmtpTestServer::~SmtpTestServer()
{
    stop();
}

bool SmtpTestServer::start()
{
    if (m_port == 0) {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        m_port = probe.serverPort();
    }
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.start(QStringLiteral("/usr/bin/python3"),
                    {QStringLiteral("-m"), QStringLiteral("aiosmtpd"), QStringLiteral("-n"), QStringLiteral("-l"),
                     QStringLiteral("127.0.0.1:%1").arg(m_port), QStringLiteral("-c"),
                     QStringLiteral("aiosmtpd.handlers.Mailbox"), m_dir.filePath(QStringLiteral("mail"))});
    if (!m_process.waitForStarted(10000)) {
        m_error = QStringLiteral("python3 -m aiosmtpd did not start: ") + m_process.errorString();
        return false;
    }
    for (int i = 0; i < 100; ++i) {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_port);
        if (socket.waitForConnected(100))
            return true;
        QTest::qWait(50);
    }
    m_error = QStringLiteral("aiosmtpd is not listening: ") + QString::fromUtf8(m_process.readAll());
    return false;
}

void SmtpTestServer::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(5000))
        m_process.kill();
    m_process.waitForFinished(5000);
}

QList<QByteArray> SmtpTestServer::messages() const
{
    QList<QByteArray> result;
    QFileInfoList files;
    for (const QString& folder : {QStringLiteral("mail/new"), QStringLiteral("mail/cur")})
        files << QDir(m_dir.filePath(folder)).entryInfoList(QDir::Files);
    std::sort(files.begin(), files.end(),
              [](const QFileInfo& a, const QFileInfo& b) { return a.lastModified() < b.lastModified(); });
    for (const QFileInfo& info : files) {
        QFile file(info.filePath());
        if (file.open(QIODevice::ReadOnly))
            result << file.readAll();
    }
    return result;
}

QString SmtpTestServer::decodedText(const QByteArray& message)
{
    QString text = QString::fromUtf8(message);
    static const QRegularExpression base64Part(
        QStringLiteral("Content-Transfer-Encoding: base64\\r?\\n\\r?\\n([A-Za-z0-9+/=\\r\\n]+)"));
    auto matches = base64Part.globalMatch(QString::fromUtf8(message));
    while (matches.hasNext()) {
        const QString encoded = matches.next().captured(1);
        text += QLatin1Char('\n') + QString::fromUtf8(QByteArray::fromBase64(encoded.toLatin1()));
    }
    return text;
}
