// A receiver for bench_delivery, in its own process as a real LRS would be: Qt HttpServer on 127.0.0.1 answering
// every POST to /xapi/statements with the status it was told (200 unless told otherwise) and counting what arrived.
//   GET  /count         "<requests> <statements>"
//   POST /status?code=N answer statements with N from now on (503 for an outage, 200 to recover)
// Prints its port on the first line of standard output.

#include <QCoreApplication>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QTextStream>
#include <QUrlQuery>

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QHttpServer server;
    qint64 requests = 0;
    qint64 statements = 0;
    int status = 200;

    server.route(QStringLiteral("/xapi/statements"), [&](const QHttpServerRequest& request) {
        if (status != 200)
            return QHttpServerResponse(QByteArray("{\"error\":\"outage\"}"), QHttpServerResponse::StatusCode(status));
        ++requests;
        statements += request.body().count("\"actor\"");
        return QHttpServerResponse(QByteArray("[\"ok\"]"));
    });
    server.route(QStringLiteral("/count"),
                 [&] { return QString(QString::number(requests) + u' ' + QString::number(statements)); });
    server.route(QStringLiteral("/status"), [&](const QHttpServerRequest& request) {
        status = QUrlQuery(request.url()).queryItemValue(QStringLiteral("code")).toInt();
        return QHttpServerResponse(QHttpServerResponse::StatusCode::NoContent);
    });
    const quint16 port = server.listen(QHostAddress::LocalHost, 0);
    if (port == 0)
        return 1;
    QTextStream(stdout) << port << Qt::endl;
    return app.exec();
}
