#pragma once

#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

// A real SMTP server on 127.0.0.1 (Debian's python3-aiosmtpd) that files every message it receives in a Maildir.
class SmtpTestServer final
{
public:
    SmtpTestServer();
    ~SmtpTestServer();

    bool start(); // on a free port; false (with error()) when it cannot
    void stop();
    quint16 port() const { return m_port; }
    QString error() const { return m_error; }
    // Every message received so far, raw (RFC 5322), oldest first.
    QList<QByteArray> messages() const;
    // Body parts decoded from base64, for assertions on text.
    static QString decodedText(const QByteArray& message);

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
    QString m_error;
};
