#include "alerts/AlertComposer.h"

namespace AlertComposer {
namespace {

QString when(const QDateTime& time)
{
    return time.isValid() ? time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'")) : QStringLiteral("now");
}

QString htmlEscaped(const QString& text)
{
    return text.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>"));
}

} // namespace

EmailMessage compose(const AlertFacts& facts, const QString& from)
{
    const Integration& integration = facts.integration;
    const QString reason = facts.reason.left(ReasonCap);
    QString headline;
    QString next;
    QString todo;
    const bool held = facts.kind == QLatin1String("held") ||
                      (facts.kind == QLatin1String("unhealthy") && integration.health() == Integration::Health::Held);
    if (facts.kind == QLatin1String("recovered")) {
        headline = QStringLiteral("deliveries to %1 work again").arg(integration.name);
        next = QStringLiteral("The queue is sending what waited, in order.");
        todo = QStringLiteral("Nothing: this is for your records.");
    } else if (held) {
        headline = QStringLiteral("deliveries to %1 are held").arg(integration.name);
        next = QStringLiteral("Held until the integration is edited: nothing is sent until then, and everything that "
                              "waited is sent after the next saved edit.");
        todo = QStringLiteral("Edit the integration in xAPI Courier. Read the receiver's answer below: if the "
                              "credentials (Client ID, Client Secret or Authentication URL) or the Statement URL are "
                              "wrong, correct them; if the statements themselves were refused, fix the receiver or "
                              "discard them. Saving the integration resumes delivery.");
    } else {
        headline = QStringLiteral("deliveries to %1 are failing and being retried").arg(integration.name);
        next = QStringLiteral("One statement is retried every %1 seconds%2; once it is accepted, the whole backlog is "
                              "sent in order.")
                   .arg(integration.retryIntervalSeconds)
                   .arg(integration.nextProbeAt.isValid()
                            ? QStringLiteral(" (next try at %1)").arg(when(integration.nextProbeAt))
                            : QString());
        todo = QStringLiteral("Nothing: delivery recovers by itself as soon as the receiver at %1 answers again, and "
                              "nothing needs to change in xAPI Courier. If the outage lasts, ask the receiver's "
                              "owners whether it is up.")
                   .arg(integration.statementUrl.host());
    }
    if (facts.kind == QLatin1String("unhealthy"))
        headline = QStringLiteral("still: ") + headline;

    EmailMessage message;
    message.from = from;
    message.to = integration.emails;
    message.subject = QStringLiteral("[xAPI Courier] %1").arg(headline);
    const QList<std::pair<QString, QString>> facts_ = {
        {QStringLiteral("Integration"), QStringLiteral("%1 (provider %2)").arg(integration.name, integration.provider)},
        {QStringLiteral("Statement URL"), integration.statementUrl.toString()},
        {QStringLiteral("Health"), Integration::healthLabel(integration.health())},
        facts.kind == QLatin1String("recovered")
            ? std::pair{QStringLiteral("Working again since"), when(facts.now)}
            : std::pair{QStringLiteral("First failure"),
                        when(integration.failingSince.isValid() ? integration.failingSince : facts.now)},
        {QStringLiteral("Statements waiting"), QString::number(facts.waiting)},
        {QStringLiteral("What happens next"), next},
        {QStringLiteral("What to do"), todo},
    };
    QString text = QStringLiteral("xAPI Courier: %1.\n\n").arg(headline);
    QString html = QStringLiteral("<html><body style=\"font-family: sans-serif\"><p><b>xAPI Courier: %1.</b></p>"
                                  "<table cellpadding=\"4\">")
                       .arg(htmlEscaped(headline));
    for (const auto& [label, value] : facts_) {
        text += QStringLiteral("%1: %2\n").arg(label, value);
        html += QStringLiteral("<tr><td valign=\"top\"><b>%1</b></td><td>%2</td></tr>")
                    .arg(htmlEscaped(label), htmlEscaped(value));
    }
    html += QStringLiteral("</table>");
    if (!reason.isEmpty()) {
        text += QStringLiteral("\nWhat the receiver returned:\n%1\n").arg(reason);
        html += QStringLiteral("<p><b>What the receiver returned:</b></p><pre>%1</pre>").arg(reason.toHtmlEscaped());
    }
    text += QStringLiteral("\nAt most one alert per integration is sent every 24 hours. Turn alerts off for this "
                           "integration with: xapi-courier integration edit \"%1\" --alerts off\n")
                .arg(integration.name);
    html += QStringLiteral("<p style=\"color:#666\">At most one alert per integration is sent every 24 hours.</p>"
                           "</body></html>");
    message.text = text;
    message.html = html;
    return message;
}

EmailMessage testMessage(const QString& from, const QString& to)
{
    EmailMessage message;
    message.from = from;
    message.to = {to};
    message.subject = QStringLiteral("[xAPI Courier] test e-mail");
    message.text = QStringLiteral("This is a test e-mail from xAPI Courier: alerts to technical contacts can be sent "
                                  "through this SMTP server.\n");
    message.html = QStringLiteral("<html><body><p>This is a test e-mail from <b>xAPI Courier</b>: alerts to technical "
                                  "contacts can be sent through this SMTP server.</p></body></html>");
    return message;
}

} // namespace AlertComposer
