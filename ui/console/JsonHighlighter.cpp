#include "console/JsonHighlighter.h"

#include <QColor>

JsonHighlighter::JsonHighlighter(QTextDocument* document)
    : QSyntaxHighlighter(document)
{}

void JsonHighlighter::highlightBlock(const QString& text)
{
    static const QRegularExpression strings(QStringLiteral(R"("(?:[^"\\]|\\.)*"(\s*:)?)"));
    static const QRegularExpression numbers(QStringLiteral(R"((?<![\w."])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)"));
    static const QRegularExpression literals(QStringLiteral(R"(\b(?:true|false|null)\b)"));
    QTextCharFormat key;
    key.setForeground(QColor(0x4f, 0x8c, 0xc9));
    key.setFontWeight(QFont::DemiBold);
    QTextCharFormat string;
    string.setForeground(QColor(0x3f, 0x9f, 0x4f));
    QTextCharFormat number;
    number.setForeground(QColor(0xc0, 0x6c, 0x1a));
    QTextCharFormat literal;
    literal.setForeground(QColor(0xa0, 0x4f, 0xb8));
    for (auto it = numbers.globalMatch(text); it.hasNext();) {
        const auto match = it.next();
        setFormat(int(match.capturedStart()), int(match.capturedLength()), number);
    }
    for (auto it = literals.globalMatch(text); it.hasNext();) {
        const auto match = it.next();
        setFormat(int(match.capturedStart()), int(match.capturedLength()), literal);
    }
    for (auto it = strings.globalMatch(text); it.hasNext();) {
        const auto match = it.next();
        setFormat(int(match.capturedStart()), int(match.capturedLength()), match.captured(1).isEmpty() ? string : key);
    }
}
