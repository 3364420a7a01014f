#pragma once

#include <QHash>
#include <QObject>
#include <QTimer>

#include <curl/curl.h>

#include <functional>
#include <memory>
#include <unordered_map>

class QSocketNotifier;

// libcurl's multi interface driven by the Qt event loop: curl_multi_socket_action() from a QSocketNotifier per
// socket and a QTimer, as curl asks through CURLMOPT_SOCKETFUNCTION and CURLMOPT_TIMERFUNCTION. Connections are kept
// alive in the multi handle's cache between transfers. Lives on one thread.
class CurlMulti final : public QObject
{
    Q_OBJECT

public:
    using Finished = std::function<void(CURL* easy, CURLcode code)>;

    explicit CurlMulti(QObject* parent = nullptr);
    ~CurlMulti() override;

    // Starts a configured easy handle; finished is called once, from the event loop, after the handle was removed
    // from the multi handle (so it may be reused or cleaned up there). The caller keeps ownership of easy.
    void add(CURL* easy, Finished finished);
    int transfers() const { return int(m_finished.size()); }

private:
    struct Watch
    {
        std::unique_ptr<QSocketNotifier> read;
        std::unique_ptr<QSocketNotifier> write;
        bool reading = false; // curl asked for reads; the read notifier may stay on a while after it stopped asking
    };

    static int onSocket(CURL* easy, curl_socket_t socket, int what, void* self, void* socketData);
    static int onTimer(CURLM* multi, long timeoutMs, void* self);
    static int onClose(void* self, curl_socket_t socket);
    void watch(curl_socket_t socket, int what);
    void act(curl_socket_t socket, int events);
    void onReadable(curl_socket_t socket);
    void collectFinished();

    CURLM* m_multi = nullptr;
    QTimer m_timer;
    std::unordered_map<curl_socket_t, Watch> m_sockets;
    QHash<CURL*, Finished> m_finished;
    bool m_added = false; // a transfer was added since curl last ran
};
