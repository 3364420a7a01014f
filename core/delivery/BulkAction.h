#pragma once

#include <QList>
#include <QObject>

#include <functional>

// An action on many deliveries (resend, discard, replay) applied a chunk at a time, each chunk one transaction, one
// chunk per turn of the event loop: a window stays responsive and shows how far it got. cancel() stops after the
// chunk in hand; what was done stays done.
class BulkAction final : public QObject
{
    Q_OBJECT

public:
    // Applies the action to one chunk; returns how many deliveries it changed, or -1 with error set.
    using Step = std::function<int(const QList<qint64>& chunk, QString* error)>;
    static constexpr int ChunkSize = 500;

    BulkAction(QList<qint64> ids, Step step, QObject* parent = nullptr);

    void start();
    void cancel() { m_cancelled = true; }
    int total() const { return int(m_ids.size()); }

Q_SIGNALS:
    void progress(int done, int total);
    // changed: deliveries the action changed; error: why it stopped early, if it did.
    void finished(int changed, const QString& error, bool cancelled);

private:
    void next();

    QList<qint64> m_ids;
    Step m_step;
    qsizetype m_done = 0;
    int m_changed = 0;
    bool m_cancelled = false;
};
