#include "common/Icons.h"

#include <QHash>
#include <QPainter>
#include <QPixmap>

namespace Icons {

QIcon themed(const QString& themeName, const QString& fallback)
{
    return QIcon::fromTheme(themeName, QIcon(QStringLiteral(":/icons/%1.svg").arg(fallback)));
}

QColor healthColor(Integration::Health health)
{
    switch (health) {
    case Integration::Health::Healthy:
        return QColor(0x2e, 0xa0, 0x43);
    case Integration::Health::Retrying:
        return QColor(0xd9, 0x8c, 0x00);
    case Integration::Health::Held:
        return QColor(0xc6, 0x28, 0x28);
    case Integration::Health::Disabled:
        break;
    }
    return QColor(0x8a, 0x8a, 0x8a);
}

QIcon healthDot(Integration::Health health)
{
    static QHash<int, QIcon> cache;
    auto found = cache.find(int(health));
    if (found != cache.end())
        return *found;
    QIcon icon;
    for (int size : {12, 16, 24, 32}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(Qt::NoPen);
        painter.setBrush(healthColor(health));
        const qreal margin = size / 5.0;
        painter.drawEllipse(QRectF(margin, margin, size - 2 * margin, size - 2 * margin));
        icon.addPixmap(pixmap);
    }
    cache.insert(int(health), icon);
    return icon;
}

QIcon application()
{
    return QIcon(QStringLiteral(":/icons/org.xapicourier.Courier.svg"));
}

} // namespace Icons
