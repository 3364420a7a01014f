#include "alerts/SmtpClient.h"

#include "common/Logging.h"

#include <QCoreApplication>
#include <QPointer>
#include <QThreadPool>

#include <curl/curl.h>

#include <mutex>

namespace {

struct Upload
{
    QByteArray data;
    qsizetype offset = 0;
};

size_t readPayload(char* buffer, size_t size, size_t count, void* userData)
{
    auto* upload = static_cast<Upload*>(userData);
    const size_t room = size * count;
    const size_t left = size_t(upload->data.size() - upload->offset);
    const size_t chunk = std::min(room, left);
    memcpy(buffer, upload->data.constData() + upload->offset, chunk);
    upload->offset += qsizetype(chunk);
    return chunk;
}

// Keeps only what the server said (never what we sent: that would include AUTH).
int collectReplies(CURL*, curl_infotype type, char* data, size_t size, void* userData)
{
    if (type == CURLINFO_HEADER_IN)
        static_cast<QString*>(userData)->append(QString::fromUtf8(data, qsizetype(size)));
    return 0;
}

void initCurl()
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

} // namespace

SmtpResult SmtpClient::sendNow(const SmtpSettings& settings, const QString& password, const EmailMessage& message)
{
    initCurl();
    SmtpResult result;
    CURL* curl = curl_easy_init();
    if (!curl) {
        result.error = QStringLiteral("libcurl could not start an SMTP session.");
        return result;
    }
    const bool implicitTls = settings.security == SmtpSettings::Security::Tls;
    const QByteArray url = QStringLiteral("%1://%2:%3")
                               .arg(implicitTls ? QStringLiteral("smtps") : QStringLiteral("smtp"), settings.host)
                               .arg(settings.port)
                               .toUtf8();
    const QByteArray from = "<" + settings.from.toUtf8() + ">";
    const QByteArray user = settings.user.toUtf8();
    const QByteArray secret = password.toUtf8();
    curl_slist* recipients = nullptr;
    for (const QString& address : message.to)
        recipients = curl_slist_append(recipients, QByteArray("<" + address.toUtf8() + ">").constData());
    Upload upload{message.toMime(QDateTime::currentDateTimeUtc())};
    char errorBuffer[CURL_ERROR_SIZE] = {};

    curl_easy_setopt(curl, CURLOPT_URL, url.constData());
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.constData());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, readPayload);
    curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errorBuffer);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, long(TimeoutSeconds));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_VERBOSE, 1L);
    curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, collectReplies);
    curl_easy_setopt(curl, CURLOPT_DEBUGDATA, &result.serverReply);
    if (settings.security == SmtpSettings::Security::StartTls)
        curl_easy_setopt(curl, CURLOPT_USE_SSL, long(CURLUSESSL_ALL));
    if (!user.isEmpty()) {
        curl_easy_setopt(curl, CURLOPT_USERNAME, user.constData());
        curl_easy_setopt(curl, CURLOPT_PASSWORD, secret.constData());
    }
    const CURLcode code = curl_easy_perform(curl);
    long smtpCode = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &smtpCode);
    curl_slist_free_all(recipients);
    curl_easy_cleanup(curl);

    result.serverReply = result.serverReply.trimmed();
    if (code == CURLE_OK) {
        result.ok = true;
        return result;
    }
    const QString detail =
        errorBuffer[0] ? QString::fromUtf8(errorBuffer) : QString::fromUtf8(curl_easy_strerror(code));
    result.error = smtpCode > 0
                       ? QStringLiteral("SMTP server %1:%2 answered %3: %4")
                             .arg(settings.host)
                             .arg(settings.port)
                             .arg(smtpCode)
                             .arg(detail)
                       : QStringLiteral("SMTP server %1:%2: %3").arg(settings.host).arg(settings.port).arg(detail);
    qCWarning(lcAlerts) << "Sending an alert failed:" << result.error;
    return result;
}

void SmtpClient::send(const SmtpSettings& settings, const QString& password, const EmailMessage& message,
                      QObject* context, std::function<void(const SmtpResult&)> done)
{
    QPointer<QObject> guard(context);
    QThreadPool::globalInstance()->start([settings, password, message, guard, done = std::move(done)] {
        const SmtpResult result = sendNow(settings, password, message);
        // Back on the main thread; context may be gone by then.
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [guard, done, result] {
                if (guard)
                    done(result);
            },
            Qt::QueuedConnection);
    });
}
