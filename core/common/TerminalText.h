#pragma once

#include <QIODevice>
#include <QString>
#include <QStringDecoder>

#include <cstdio>

// Text from elsewhere (a receiver's status line, headers and body, a token endpoint's error, a hold reason) made safe
// for a terminal or a log: every control character except line feed and tab, DEL, the C1 controls (ESC [ ... and its
// one-character form U+009B start terminal escape sequences: window titles, clearing the screen, moving the cursor,
// hyperlinks) and the bidirectional overrides that reorder what is shown are written as visible, inert escapes
// (ESC as \x1b, CR as \r, U+202E as \u202e), so what a terminal shows is exactly what was received. A backslash is
// left alone: text never becomes a control character by being shown.
namespace TerminalText {

QString inert(QStringView text);
bool needsEscaping(char32_t character);

// A write-only device in front of stdout or stderr that passes everything through inert(), UTF-8 sequences split
// across writes included. The command line prints through it.
class InertDevice final : public QIODevice
{
public:
    explicit InertDevice(FILE* stream, QObject* parent = nullptr);
    bool isSequential() const override { return true; }

protected:
    qint64 readData(char*, qint64) override { return -1; }
    qint64 writeData(const char* data, qint64 size) override;

private:
    FILE* m_stream;
    QStringDecoder m_decoder{QStringDecoder::Utf8};
};

// Installs a Qt message handler that writes log lines (qDebug, qCWarning, ...) through inert(), in Qt's own format.
void installInertMessageHandler();

} // namespace TerminalText
