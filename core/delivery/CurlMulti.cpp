#include "delivery/CurlMulti.h"

#include <QSocketNotifier>

#include <mutex>

#include <unistd.h>

namespace {
// A notifier may be the one whose activation is being handled: never delete it on the spot.
void retire(std::unique_ptr<QSocketNotifier>& notifier)
{
    if (!notifier)
        return;
    notifier->setEnabled(false);
    notifier.release()->deleteLater();
}
} // namespace

CurlMulti::CurlMulti(QObject* parent)
    : QObject(parent)
{
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    m_multi = curl_multi_init();
    curl_multi_setopt(m_multi, CURLMOPT_SOCKETFUNCTION, &CurlMulti::onSocket);
    curl_multi_setopt(m_multi, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(m_multi, CURLMOPT_TIMERFUNCTION, &CurlMulti::onTimer);
    curl_multi_setopt(m_multi, CURLMOPT_TIMERDATA, this);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] { act(CURL_SOCKET_TIMEOUT, 0); });
}

CurlMulti::~CurlMulti()
{
    for (auto it = m_finished.cbegin(); it != m_finished.cend(); ++it)
        curl_multi_remove_handle(m_multi, it.key());
    m_finished.clear();
    curl_multi_cleanup(m_multi);
    for (auto& [socket, watch] : m_sockets) {
        retire(watch.read);
        retire(watch.write);
    }
}

void CurlMulti::add(CURL* easy, Finished finished)
{
    // Told when curl closes a connection, so no notifier outlives its socket (the read one stays on between
    // transfers).
    curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, &CurlMulti::onClose);
    curl_easy_setopt(easy, CURLOPT_CLOSESOCKETDATA, this);
    m_finished.insert(easy, std::move(finished));
    curl_multi_add_handle(m_multi, easy); // asks for a timeout of 0 through onTimer: the transfer starts from the loop
    m_added = true;
}

int CurlMulti::onSocket(CURL*, curl_socket_t socket, int what, void* self, void*)
{
    static_cast<CurlMulti*>(self)->watch(socket, what);
    return 0;
}

int CurlMulti::onTimer(CURLM*, long timeoutMs, void* self)
{
    auto* multi = static_cast<CurlMulti*>(self);
    if (timeoutMs < 0)
        multi->m_timer.stop();
    else
        multi->m_timer.start(int(timeoutMs));
    return 0;
}

int CurlMulti::onClose(void* self, curl_socket_t socket)
{
    auto* multi = static_cast<CurlMulti*>(self);
    if (auto it = multi->m_sockets.find(socket); it != multi->m_sockets.end()) {
        retire(it->second.read);
        retire(it->second.write);
        multi->m_sockets.erase(it);
    }
    return ::close(socket);
}

void CurlMulti::watch(curl_socket_t socket, int what)
{
    if (what == CURL_POLL_REMOVE) {
        // curl stops watching a kept-alive connection between transfers: keep its notifiers for the next one. The
        // read notifier stays on: the next transfer wants it again, and every switch costs the event loop a
        // wake-up. Should it fire meanwhile (the receiver closed the connection), onReadable switches it off then;
        // when curl closes the socket, onClose retires both.
        auto it = m_sockets.find(socket);
        if (it != m_sockets.end()) {
            it->second.reading = false;
            if (it->second.write)
                it->second.write->setEnabled(false);
        }
        return;
    }
    Watch& watch = m_sockets[socket];
    const auto ensure = [this](std::unique_ptr<QSocketNotifier>& notifier, QSocketNotifier::Type type,
                               curl_socket_t socket, const std::function<void()>& activated) {
        if (!notifier) {
            notifier = std::make_unique<QSocketNotifier>(qintptr(socket), type);
            connect(notifier.get(), &QSocketNotifier::activated, this, activated);
        }
        notifier->setEnabled(true);
    };
    watch.reading = what == CURL_POLL_IN || what == CURL_POLL_INOUT;
    if (watch.reading)
        ensure(watch.read, QSocketNotifier::Read, socket, [this, socket] { onReadable(socket); });
    else if (watch.read)
        watch.read->setEnabled(false);
    if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT)
        ensure(watch.write, QSocketNotifier::Write, socket, [this, socket] { act(socket, CURL_CSELECT_OUT); });
    else if (watch.write)
        watch.write->setEnabled(false);
}

void CurlMulti::onReadable(curl_socket_t socket)
{
    auto it = m_sockets.find(socket);
    if (it == m_sockets.end())
        return;
    if (!it->second.reading) {
        // A connection curl is not watching now: curl finds out for itself when it takes it again.
        if (it->second.read)
            it->second.read->setEnabled(false);
        return;
    }
    act(socket, CURL_CSELECT_IN);
}

void CurlMulti::act(curl_socket_t socket, int events)
{
    int running = 0;
    curl_multi_socket_action(m_multi, socket, events, &running);
    collectFinished();
    // Transfers added by the reports just made (the next request of a lane) start now, as in a plain curl loop,
    // rather than at the next pass of the event loop. A few rounds at most; the timer catches the rest.
    for (int round = 0; round < 4 && m_added; ++round) {
        m_added = false;
        curl_multi_socket_action(m_multi, CURL_SOCKET_TIMEOUT, 0, &running);
        collectFinished();
    }
}

void CurlMulti::collectFinished()
{
    // First take every finished transfer out of the multi handle, then report them: a report may add new transfers.
    QList<std::pair<CURL*, CURLcode>> done;
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(m_multi, &left)) {
        if (message->msg == CURLMSG_DONE)
            done.append({message->easy_handle, message->data.result});
    }
    for (const auto& [easy, code] : done)
        curl_multi_remove_handle(m_multi, easy);
    for (const auto& [easy, code] : done) {
        Finished finished = m_finished.take(easy);
        if (finished)
            finished(easy, code);
    }
}
