#include "common/TerminalText.h"

#include <QStringEncoder>

namespace TerminalText {

bool needsEscaping(char32_t c)
{
    if (c == U'\n' || c == U'\t')
        return false;
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
           c == 0x200e || c == 0x200f || c == 0x061c;
}

QString inert(QStringView text)
{
    bool clean = true;
    for (const QChar c : text) {
        if (needsEscaping(c.unicode())) {
            clean = false;
            break;
        }
    }
    if (clean)
        return text.toString();
    QString result;
    result.reserve(text.size() + 16);
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (!needsEscaping(u)) {
            result += c;
        } else if (u == u'\r') {
            result += QLatin1String("\\r");
        } else if (u < 0x100) {
            result += QStringLiteral("\\x%1").arg(int(u), 2, 16, QLatin1Char('0'));
        } else {
            result += QStringLiteral("\\u%1").arg(int(u), 4, 16, QLatin1Char('0'));
        }
    }
    return result;
}

InertDevice::InertDevice(FILE* stream, QObject* parent)
    : QIODevice(parent)
    , m_stream(stream)
{
    open(QIODevice::WriteOnly | QIODevice::Unbuffered);
}

qint64 InertDevice::writeData(const char* data, qint64 size)
{
    // The decoder keeps a sequence cut in two until its end arrives; bytes that are not UTF-8 become U+FFFD.
    const QString text = m_decoder.decode(QByteArrayView(data, size));
    const QByteArray out = inert(text).toUtf8();
    if (!out.isEmpty() && std::fwrite(out.constData(), 1, size_t(out.size()), m_stream) != size_t(out.size()))
        return -1;
    std::fflush(m_stream);
    return size;
}

namespace {
void inertHandler(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    const QString line = qFormatLogMessage(type, context, inert(message));
    std::fprintf(stderr, "%s\n", line.toLocal8Bit().constData());
    std::fflush(stderr);
    if (type == QtFatalMsg)
        std::abort();
}
} // namespace

void installInertMessageHandler()
{
    qInstallMessageHandler(inertHandler);
}

} // namespace TerminalText
