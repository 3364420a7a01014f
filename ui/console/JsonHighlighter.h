#pragma once

#include <QRegularExpression>
#include <QSyntaxHighlighter>

// Keys, strings, numbers and literals of JSON in colours that read on light and dark palettes.
class JsonHighlighter final : public QSyntaxHighlighter
{
    Q_OBJECT

public:
    explicit JsonHighlighter(QTextDocument* document);

protected:
    void highlightBlock(const QString& text) override;
};
