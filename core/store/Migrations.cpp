#include "store/Migrations.h"

#include <QRegularExpression>

namespace Migrations {

const QList<Migration>& all()
{
    static const QList<Migration> migrations = {
        {1,
         QStringLiteral("integrations"),
         {
             QStringLiteral("CREATE TABLE integrations ("
                            " id %ID_PK%,"
                            " uid TEXT NOT NULL UNIQUE,"
                            " name TEXT NOT NULL,"
                            " name_key TEXT NOT NULL UNIQUE,"
                            " provider TEXT NOT NULL,"
                            " provider_key TEXT NOT NULL UNIQUE,"
                            " emails TEXT NOT NULL DEFAULT '',"
                            " statement_url TEXT NOT NULL,"
                            " auth_kind TEXT NOT NULL,"
                            " auth_url TEXT NOT NULL DEFAULT '',"
                            " client_id TEXT NOT NULL DEFAULT '',"
                            " username TEXT NOT NULL DEFAULT '',"
                            " has_secret INTEGER NOT NULL DEFAULT 0,"
                            " enabled INTEGER NOT NULL DEFAULT 1,"
                            " health TEXT NOT NULL DEFAULT 'healthy',"
                            " hold_reason TEXT NOT NULL DEFAULT '',"
                            " next_probe_at BIGINT,"
                            " revision INTEGER NOT NULL DEFAULT 1,"
                            " created_at BIGINT NOT NULL,"
                            " updated_at BIGINT NOT NULL)"),
         }},
        {2,
         QStringLiteral("settings"),
         {
             QStringLiteral("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
         }},
        {3,
         QStringLiteral("delivery queue and attempt log"),
         {
             QStringLiteral("ALTER TABLE integrations ADD COLUMN retry_interval_s INTEGER NOT NULL DEFAULT 60"),
             QStringLiteral("ALTER TABLE integrations ADD COLUMN concurrency INTEGER NOT NULL DEFAULT 4"),
             QStringLiteral("ALTER TABLE integrations ADD COLUMN batch_size INTEGER NOT NULL DEFAULT 1"),
             QStringLiteral("ALTER TABLE integrations ADD COLUMN held_revision INTEGER NOT NULL DEFAULT 0"),
             QStringLiteral("ALTER TABLE integrations ADD COLUMN health_since BIGINT"),
             // One row per (statement, integration), in enqueue order (id). The statement id never changes.
             QStringLiteral("CREATE TABLE deliveries ("
                            " id %ID_PK%,"
                            " integration_id BIGINT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,"
                            " statement_id TEXT NOT NULL,"
                            " body TEXT NOT NULL,"
                            " state TEXT NOT NULL DEFAULT 'queued',"
                            " attempts INTEGER NOT NULL DEFAULT 0,"
                            " next_attempt_at BIGINT,"
                            " last_status INTEGER,"
                            " last_error TEXT NOT NULL DEFAULT '',"
                            " created_at BIGINT NOT NULL,"
                            " updated_at BIGINT NOT NULL,"
                            " delivered_at BIGINT)"),
             QStringLiteral("CREATE INDEX deliveries_lane ON deliveries (integration_id, state, id)"),
             QStringLiteral("CREATE INDEX deliveries_created ON deliveries (created_at)"),
             QStringLiteral("CREATE INDEX deliveries_statement ON deliveries (statement_id)"),
             // Every try, as support needs to read it. Authorization is redacted before it gets here.
             QStringLiteral("CREATE TABLE attempts ("
                            " id %ID_PK%,"
                            " delivery_id BIGINT REFERENCES deliveries(id) ON DELETE CASCADE,"
                            " integration_id BIGINT REFERENCES integrations(id) ON DELETE CASCADE,"
                            " started_at BIGINT NOT NULL,"
                            " duration_ms INTEGER NOT NULL DEFAULT 0,"
                            " request_line TEXT NOT NULL DEFAULT '',"
                            " request_headers TEXT NOT NULL DEFAULT '',"
                            " request_body_size INTEGER NOT NULL DEFAULT 0,"
                            " status INTEGER,"
                            " response_headers TEXT NOT NULL DEFAULT '',"
                            " response_body TEXT NOT NULL DEFAULT '',"
                            " error TEXT NOT NULL DEFAULT '')"),
             QStringLiteral("CREATE INDEX attempts_delivery ON attempts (delivery_id, id)"),
             // The Test Console's history: what QA sent and what came back.
             QStringLiteral("CREATE TABLE test_sends ("
                            " id %ID_PK%,"
                            " integration_id BIGINT REFERENCES integrations(id) ON DELETE SET NULL,"
                            " integration_name TEXT NOT NULL DEFAULT '',"
                            " sent_at BIGINT NOT NULL,"
                            " statement TEXT NOT NULL,"
                            " status INTEGER,"
                            " duration_ms INTEGER NOT NULL DEFAULT 0,"
                            " request TEXT NOT NULL DEFAULT '',"
                            " response_headers TEXT NOT NULL DEFAULT '',"
                            " response_body TEXT NOT NULL DEFAULT '',"
                            " error TEXT NOT NULL DEFAULT '')"),
         }},
        {4,
         QStringLiteral("alerts"),
         {
             QStringLiteral("ALTER TABLE integrations ADD COLUMN alerts_enabled INTEGER NOT NULL DEFAULT 1"),
             // Every alert the policy raised: sent, failed (kept and retried), or suppressed by the 24-hour window.
             QStringLiteral("CREATE TABLE alerts ("
                            " id %ID_PK%,"
                            " integration_id BIGINT REFERENCES integrations(id) ON DELETE SET NULL,"
                            " integration_name TEXT NOT NULL,"
                            " created_at BIGINT NOT NULL,"
                            " kind TEXT NOT NULL,"
                            " recipients TEXT NOT NULL,"
                            " subject TEXT NOT NULL,"
                            " body_text TEXT NOT NULL,"
                            " body_html TEXT NOT NULL,"
                            " state TEXT NOT NULL,"
                            " error TEXT NOT NULL DEFAULT '',"
                            " attempts INTEGER NOT NULL DEFAULT 0,"
                            " next_attempt_at BIGINT,"
                            " sent_at BIGINT)"),
             QStringLiteral("CREATE INDEX alerts_integration ON alerts (integration_id, created_at)"),
             QStringLiteral("CREATE INDEX alerts_state ON alerts (state, next_attempt_at)"),
         }},
        {5,
         QStringLiteral("completion records"),
         {
             // One record per (user, content), as H5P servers keep them; a newer message replaces the older one.
             QStringLiteral("CREATE TABLE completions ("
                            " id %ID_PK%,"
                            " content_id TEXT NOT NULL,"
                            " user_id TEXT NOT NULL,"
                            " score DOUBLE PRECISION NOT NULL,"
                            " max_score DOUBLE PRECISION NOT NULL,"
                            " ratio DOUBLE PRECISION NOT NULL,"
                            " opened_ts BIGINT NOT NULL,"
                            " finished_ts BIGINT NOT NULL,"
                            " completion_time BIGINT NOT NULL,"
                            " received_at BIGINT NOT NULL,"
                            " source TEXT NOT NULL DEFAULT '',"
                            " statement_id TEXT NOT NULL,"
                            " UNIQUE (user_id, content_id))"),
             QStringLiteral("CREATE INDEX completions_content ON completions (content_id, finished_ts)"),
             QStringLiteral("CREATE INDEX completions_finished ON completions (finished_ts)"),
             QStringLiteral("CREATE INDEX completions_ratio ON completions (ratio)"),
             QStringLiteral("CREATE INDEX completions_score ON completions (score)"),
         }},
        {6,
         QStringLiteral("change notifications"),
         // Desktops and workers sharing a PostgreSQL store hear of each other's commits on the channel
         // courier_changes, the payload naming the table (StoreNotifier). SQLite needs nothing: its readers poll
         // PRAGMA data_version.
         {
             QStringLiteral("%POSTGRESQL_ONLY%CREATE FUNCTION courier_notify_change() RETURNS trigger LANGUAGE plpgsql "
                            "AS $$ BEGIN PERFORM pg_notify('courier_changes', TG_TABLE_NAME); RETURN NULL; END $$"),
             QStringLiteral("%POSTGRESQL_ONLY%CREATE TRIGGER integrations_changed AFTER INSERT OR UPDATE OR DELETE ON "
                            "integrations FOR EACH STATEMENT EXECUTE FUNCTION courier_notify_change()"),
             QStringLiteral("%POSTGRESQL_ONLY%CREATE TRIGGER deliveries_changed AFTER INSERT OR UPDATE OR DELETE ON "
                            "deliveries FOR EACH STATEMENT EXECUTE FUNCTION courier_notify_change()"),
             QStringLiteral("%POSTGRESQL_ONLY%CREATE TRIGGER alerts_changed AFTER INSERT OR UPDATE OR DELETE ON "
                            "alerts FOR EACH STATEMENT EXECUTE FUNCTION courier_notify_change()"),
             QStringLiteral("%POSTGRESQL_ONLY%CREATE TRIGGER completions_changed AFTER INSERT OR UPDATE OR DELETE ON "
                            "completions FOR EACH STATEMENT EXECUTE FUNCTION courier_notify_change()"),
             QStringLiteral("%POSTGRESQL_ONLY%CREATE TRIGGER settings_changed AFTER INSERT OR UPDATE OR DELETE ON "
                            "settings FOR EACH STATEMENT EXECUTE FUNCTION courier_notify_change()"),
         }},
        {7,
         QStringLiteral("OAuth 2.0: where the client credentials go on the token request"),
         {
             QStringLiteral("ALTER TABLE integrations ADD COLUMN client_auth TEXT NOT NULL DEFAULT 'basic'"),
         }},
        {8,
         QStringLiteral("statement bodies apart from the delivery rows the engine updates"),
         // A delivery row is updated at least once per attempt; without its statement (kilobytes) in it, many rows
         // share a page and a group commit writes a fraction of the pages.
         {
             QStringLiteral("CREATE TABLE delivery_bodies ("
                            " delivery_id %KEY_PK% REFERENCES deliveries(id) ON DELETE CASCADE,"
                            " body TEXT NOT NULL)"),
             QStringLiteral("INSERT INTO delivery_bodies (delivery_id, body) SELECT id, body FROM deliveries"),
             QStringLiteral("ALTER TABLE deliveries DROP COLUMN body"),
         }},
        {9,
         QStringLiteral("lane leases: several delivery engines on one store"),
         // Each engine (desktop app or worker) renews its row in delivery_engines and the lanes it holds; a lane is
         // one integration's queue, worked by one engine at a time. No change notifications: leases are renewed
         // every few seconds and nobody looks at them but the engines and the status bar.
         {
             QStringLiteral("CREATE TABLE delivery_engines ("
                            " owner TEXT PRIMARY KEY,"
                            " expires_at BIGINT NOT NULL)"),
             QStringLiteral("CREATE TABLE lane_leases ("
                            " integration_id %KEY_PK% REFERENCES integrations(id) ON DELETE CASCADE,"
                            " owner TEXT NOT NULL,"
                            " expires_at BIGINT NOT NULL)"),
             QStringLiteral("DELETE FROM settings WHERE key = 'delivery.lease'"),
         }},
        {10,
         QStringLiteral("one attempt row per request, linked to every statement a batch carried"),
         // A request carrying one statement keeps its delivery in attempts.delivery_id, as before. A request carrying
         // several (batch size > 1) is logged once, with delivery_id NULL, and each of its deliveries gets a row here.
         // The link goes with its delivery; its attempt belongs to the same integration and goes with it, so no
         // cascade (and no second index) is needed on attempt_id.
         {
             QStringLiteral("ALTER TABLE attempts ADD COLUMN statements INTEGER NOT NULL DEFAULT 1"),
             QStringLiteral("CREATE TABLE attempt_deliveries ("
                            " delivery_id BIGINT NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,"
                            " attempt_id BIGINT NOT NULL,"
                            " PRIMARY KEY (delivery_id, attempt_id))%WITHOUT_ROWID%"),
         }},
        {11,
         QStringLiteral("alerts claimed by one process at a time, and the time of an integration's first failure"),
         // An alert moves pending -> sending -> sent | failed | suppressed | superseded. The process that sends it
         // claims it (claimed_by) until lease_until, so no other process sends it meanwhile and a dead claimer's alert
         // is taken up again. integration_revision and failing_since tie an alert to its cause: an edit, or a
         // recovery, makes it stale (superseded). dedupe_key keeps one "works again" note per failure alert that
         // went out, whichever processes saw the recovery.
         {
             QStringLiteral("ALTER TABLE integrations ADD COLUMN failing_since BIGINT"),
             QStringLiteral("UPDATE integrations SET failing_since = health_since WHERE health IN ('held', "
                            "'retrying')"),
             QStringLiteral("ALTER TABLE alerts ADD COLUMN claimed_by TEXT"),
             QStringLiteral("ALTER TABLE alerts ADD COLUMN lease_until BIGINT"),
             QStringLiteral("ALTER TABLE alerts ADD COLUMN integration_revision INTEGER NOT NULL DEFAULT 0"),
             QStringLiteral("ALTER TABLE alerts ADD COLUMN failing_since BIGINT"),
             QStringLiteral("ALTER TABLE alerts ADD COLUMN dedupe_key TEXT"),
             QStringLiteral("CREATE UNIQUE INDEX alerts_dedupe ON alerts (dedupe_key)"),
         }},
        {14,
         QStringLiteral("409 triage: which kind of duplicate a delivery is"),
         // NULL while a duplicate waits for triage (and on every other state); 'identical', 'conflicting' or
         // 'unverified' after it, with the differences (or why it could not be verified) as JSON in duplicate_detail.
         {
             QStringLiteral("ALTER TABLE deliveries ADD COLUMN duplicate_kind TEXT"),
             QStringLiteral("ALTER TABLE deliveries ADD COLUMN duplicate_detail TEXT"),
             QStringLiteral("CREATE INDEX deliveries_untriaged ON deliveries (integration_id, id) "
                            "WHERE state = 'duplicate' AND duplicate_kind IS NULL"),
         }},
        {15,
         QStringLiteral("retention: how long each integration keeps what it delivered, and counts of what was pruned"),
         // retention_days: delivered and duplicate statements older than this are pruned (NULL: kept for ever);
         // keep_bodies_days: their statement and response bodies are erased sooner, keeping the attempt metadata.
         // pruned_counts keeps counting, per integration, the delivered and duplicate statements that were pruned,
         // so the totals of queue status do not fall when old rows go.
         {
             QStringLiteral("CREATE TABLE retention_policies ("
                            " integration_id %KEY_PK% REFERENCES integrations(id) ON DELETE CASCADE,"
                            " retention_days INTEGER,"
                            " keep_bodies_days INTEGER)"),
             QStringLiteral("CREATE TABLE pruned_counts ("
                            " integration_id %KEY_PK% REFERENCES integrations(id) ON DELETE CASCADE,"
                            " delivered BIGINT NOT NULL DEFAULT 0,"
                            " duplicates BIGINT NOT NULL DEFAULT 0)"),
             // Pruning removes a batch's attempt once none of the deliveries it carried is left: found by attempt.
             QStringLiteral("CREATE INDEX attempt_deliveries_attempt ON attempt_deliveries (attempt_id)"),
         }},
        {20,
         QStringLiteral("the xAPI version of each integration: 1.0.3, 2.0.0 or auto (with the receiver's answer)"),
         // 20, not the next number: other branches are adding migrations at the same time, and the numbers only
         // need to grow.
         {
             QStringLiteral("ALTER TABLE integrations ADD COLUMN xapi_version TEXT NOT NULL DEFAULT '1.0.3'"),
             QStringLiteral("ALTER TABLE integrations ADD COLUMN xapi_detected TEXT NOT NULL DEFAULT ''"),
             QStringLiteral("ALTER TABLE deliveries ADD COLUMN conversion TEXT"),
         }},
        {21,
         QStringLiteral("delivery charts: outcomes and response times per integration and minute, health changes"),
         // One row per integration and minute (UTC minutes since the epoch) in which an outcome was recorded: the
         // statements by outcome, and the requests by response time in the buckets of DeliveryAggregates (d00 up to
         // 1 ms … d28 beyond 60 s). Every process adds to the same row (an upsert that adds), so the row is the sum.
         // No personal data: nothing here names a learner or a statement. health_changes: each time an
         // integration's stored health changed, to shade the periods it was held or retrying.
         {
             QStringLiteral("CREATE TABLE delivery_minutes ("
                            " integration_id BIGINT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,"
                            " at_minute BIGINT NOT NULL,"
                            " delivered INTEGER NOT NULL DEFAULT 0,"
                            " duplicate INTEGER NOT NULL DEFAULT 0,"
                            " held INTEGER NOT NULL DEFAULT 0,"
                            " retried INTEGER NOT NULL DEFAULT 0,"
                            " discarded INTEGER NOT NULL DEFAULT 0,"
                            " d00 INTEGER NOT NULL DEFAULT 0, d01 INTEGER NOT NULL DEFAULT 0,"
                            " d02 INTEGER NOT NULL DEFAULT 0, d03 INTEGER NOT NULL DEFAULT 0,"
                            " d04 INTEGER NOT NULL DEFAULT 0, d05 INTEGER NOT NULL DEFAULT 0,"
                            " d06 INTEGER NOT NULL DEFAULT 0, d07 INTEGER NOT NULL DEFAULT 0,"
                            " d08 INTEGER NOT NULL DEFAULT 0, d09 INTEGER NOT NULL DEFAULT 0,"
                            " d10 INTEGER NOT NULL DEFAULT 0, d11 INTEGER NOT NULL DEFAULT 0,"
                            " d12 INTEGER NOT NULL DEFAULT 0, d13 INTEGER NOT NULL DEFAULT 0,"
                            " d14 INTEGER NOT NULL DEFAULT 0, d15 INTEGER NOT NULL DEFAULT 0,"
                            " d16 INTEGER NOT NULL DEFAULT 0, d17 INTEGER NOT NULL DEFAULT 0,"
                            " d18 INTEGER NOT NULL DEFAULT 0, d19 INTEGER NOT NULL DEFAULT 0,"
                            " d20 INTEGER NOT NULL DEFAULT 0, d21 INTEGER NOT NULL DEFAULT 0,"
                            " d22 INTEGER NOT NULL DEFAULT 0, d23 INTEGER NOT NULL DEFAULT 0,"
                            " d24 INTEGER NOT NULL DEFAULT 0, d25 INTEGER NOT NULL DEFAULT 0,"
                            " d26 INTEGER NOT NULL DEFAULT 0, d27 INTEGER NOT NULL DEFAULT 0,"
                            " d28 INTEGER NOT NULL DEFAULT 0,"
                            " PRIMARY KEY (integration_id, at_minute))%WITHOUT_ROWID%"),
             // "All integrations" and pruning read by minute alone.
             QStringLiteral("CREATE INDEX delivery_minutes_at ON delivery_minutes (at_minute)"),
             QStringLiteral("CREATE TABLE health_changes ("
                            " id %ID_PK%,"
                            " integration_id BIGINT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,"
                            " at BIGINT NOT NULL,"
                            " health TEXT NOT NULL)"),
             QStringLiteral("CREATE INDEX health_changes_integration ON health_changes (integration_id, at)"),
             // What is failing now started when its health last changed.
             QStringLiteral("INSERT INTO health_changes (integration_id, at, health) SELECT id, "
                            "COALESCE(health_since, updated_at), health FROM integrations WHERE health IN ('held', "
                            "'retrying')"),
         }},
        {22,
         QStringLiteral("a batch that finished its statements is linked to them by their own rows"),
         // A request carrying several statements that delivered them (2xx or 409) is written in each delivery's
         // batch_attempt_id by the update that records the outcome, instead of a row per statement in
         // attempt_deliveries (which keeps the links of batches that failed, and of deliveries sent again).
         // attempt_links reads both as one.
         {
             QStringLiteral("ALTER TABLE deliveries ADD COLUMN batch_attempt_id BIGINT"),
             QStringLiteral("CREATE INDEX deliveries_batch_attempt ON deliveries (batch_attempt_id) "
                            "WHERE batch_attempt_id IS NOT NULL"),
             QStringLiteral("CREATE VIEW attempt_links AS SELECT delivery_id, attempt_id FROM attempt_deliveries "
                            "UNION ALL SELECT id AS delivery_id, batch_attempt_id AS attempt_id FROM deliveries "
                            "WHERE batch_attempt_id IS NOT NULL"),
         }},
        {23,
         QStringLiteral("delivery charts: outcomes and response times per integration and 10 minutes or hour"),
         // The rows of delivery_minutes summed per 10 minutes (the last day's points) and per hour (the last week's),
         // step_minutes saying which; at_minute is the step's first minute. Written by the same upsert as the minute
         // (DeliveryAggregates), so a week reads 168 rows per integration. Filled here from the minutes kept so far.
         // An integration disabled while held or retrying is no longer shaded from then on: health_changes gains
         // "disabled" (IntegrationRepository records it from now on; here for those disabled before).
         {
             QStringLiteral("CREATE TABLE delivery_rollups ("
                            " integration_id BIGINT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,"
                            " step_minutes INTEGER NOT NULL,"
                            " at_minute BIGINT NOT NULL,"
                            " delivered INTEGER NOT NULL DEFAULT 0, duplicate INTEGER NOT NULL DEFAULT 0,"
                            " held INTEGER NOT NULL DEFAULT 0, retried INTEGER NOT NULL DEFAULT 0,"
                            " discarded INTEGER NOT NULL DEFAULT 0, d00 INTEGER NOT NULL DEFAULT 0,"
                            " d01 INTEGER NOT NULL DEFAULT 0, d02 INTEGER NOT NULL DEFAULT 0,"
                            " d03 INTEGER NOT NULL DEFAULT 0, d04 INTEGER NOT NULL DEFAULT 0,"
                            " d05 INTEGER NOT NULL DEFAULT 0, d06 INTEGER NOT NULL DEFAULT 0,"
                            " d07 INTEGER NOT NULL DEFAULT 0, d08 INTEGER NOT NULL DEFAULT 0,"
                            " d09 INTEGER NOT NULL DEFAULT 0, d10 INTEGER NOT NULL DEFAULT 0,"
                            " d11 INTEGER NOT NULL DEFAULT 0, d12 INTEGER NOT NULL DEFAULT 0,"
                            " d13 INTEGER NOT NULL DEFAULT 0, d14 INTEGER NOT NULL DEFAULT 0,"
                            " d15 INTEGER NOT NULL DEFAULT 0, d16 INTEGER NOT NULL DEFAULT 0,"
                            " d17 INTEGER NOT NULL DEFAULT 0, d18 INTEGER NOT NULL DEFAULT 0,"
                            " d19 INTEGER NOT NULL DEFAULT 0, d20 INTEGER NOT NULL DEFAULT 0,"
                            " d21 INTEGER NOT NULL DEFAULT 0, d22 INTEGER NOT NULL DEFAULT 0,"
                            " d23 INTEGER NOT NULL DEFAULT 0, d24 INTEGER NOT NULL DEFAULT 0,"
                            " d25 INTEGER NOT NULL DEFAULT 0, d26 INTEGER NOT NULL DEFAULT 0,"
                            " d27 INTEGER NOT NULL DEFAULT 0, d28 INTEGER NOT NULL DEFAULT 0,"
                            " PRIMARY KEY (integration_id, step_minutes, at_minute))%WITHOUT_ROWID%"),
             // "All integrations" and pruning read by step and minute alone.
             QStringLiteral("CREATE INDEX delivery_rollups_at ON delivery_rollups (step_minutes, at_minute)"),
             QStringLiteral(
                 "INSERT INTO delivery_rollups (integration_id, step_minutes, at_minute, delivered, duplicate, "
                 "held, retried, discarded, d00, d01, d02, d03, d04, d05, d06, d07, d08, d09, d10, d11, d12, d13, "
                 "d14, d15, d16, d17, d18, d19, d20, d21, d22, d23, d24, d25, d26, d27, d28) SELECT "
                 "integration_id, 10, at_minute - at_minute % 10, SUM(delivered), SUM(duplicate), SUM(held), "
                 "SUM(retried), SUM(discarded), SUM(d00), SUM(d01), SUM(d02), SUM(d03), SUM(d04), SUM(d05), "
                 "SUM(d06), SUM(d07), SUM(d08), SUM(d09), SUM(d10), SUM(d11), SUM(d12), SUM(d13), SUM(d14), "
                 "SUM(d15), SUM(d16), SUM(d17), SUM(d18), SUM(d19), SUM(d20), SUM(d21), SUM(d22), SUM(d23), "
                 "SUM(d24), SUM(d25), SUM(d26), SUM(d27), SUM(d28) FROM delivery_minutes GROUP BY integration_id, "
                 "at_minute - at_minute % 10"),
             QStringLiteral(
                 "INSERT INTO delivery_rollups (integration_id, step_minutes, at_minute, delivered, duplicate, "
                 "held, retried, discarded, d00, d01, d02, d03, d04, d05, d06, d07, d08, d09, d10, d11, d12, d13, "
                 "d14, d15, d16, d17, d18, d19, d20, d21, d22, d23, d24, d25, d26, d27, d28) SELECT "
                 "integration_id, 60, at_minute - at_minute % 60, SUM(delivered), SUM(duplicate), SUM(held), "
                 "SUM(retried), SUM(discarded), SUM(d00), SUM(d01), SUM(d02), SUM(d03), SUM(d04), SUM(d05), "
                 "SUM(d06), SUM(d07), SUM(d08), SUM(d09), SUM(d10), SUM(d11), SUM(d12), SUM(d13), SUM(d14), "
                 "SUM(d15), SUM(d16), SUM(d17), SUM(d18), SUM(d19), SUM(d20), SUM(d21), SUM(d22), SUM(d23), "
                 "SUM(d24), SUM(d25), SUM(d26), SUM(d27), SUM(d28) FROM delivery_minutes GROUP BY integration_id, "
                 "at_minute - at_minute % 60"),
             QStringLiteral("INSERT INTO health_changes (integration_id, at, health) SELECT id, CASE WHEN "
                            "health_since > updated_at THEN health_since ELSE updated_at END, 'disabled' FROM "
                            "integrations WHERE enabled = 0 AND health IN ('held', 'retrying')"),
         }},
        {24,
         QStringLiteral("when an integration whose xAPI version is auto last asked its receiver"),
         // 24, reserved for this branch: numbers only need to grow, gaps are fine.
         {
             QStringLiteral("ALTER TABLE integrations ADD COLUMN xapi_detected_at BIGINT"),
         }},
    };
    return migrations;
}

int latestVersion()
{
    return all().constLast().version;
}

QStringList tables()
{
    static const QRegularExpression createTable(QStringLiteral("^CREATE TABLE (\\w+)"));
    QStringList names;
    for (const Migration& migration : all()) {
        for (const QString& statement : migration.statements) {
            if (const QRegularExpressionMatch match = createTable.match(statement); match.hasMatch())
                names << match.captured(1);
        }
    }
    return names;
}

QString dialectSql(QString statement, Dialect dialect)
{
    if (!statement.contains(QLatin1Char('%')))
        return statement;
    const bool sqlite = dialect == Dialect::Sqlite;
    if (statement.startsWith(QLatin1String("%POSTGRESQL_ONLY%")))
        return sqlite ? QString() : statement.mid(int(qstrlen("%POSTGRESQL_ONLY%")));
    statement.replace(QLatin1String("%ID_PK%"), sqlite ? QLatin1String("INTEGER PRIMARY KEY AUTOINCREMENT")
                                                       : QLatin1String("BIGSERIAL PRIMARY KEY"));
    statement.replace(QLatin1String("%KEY_PK%"),
                      sqlite ? QLatin1String("INTEGER PRIMARY KEY") : QLatin1String("BIGINT PRIMARY KEY"));
    statement.replace(QLatin1String("%BODY_BYTES%"),
                      sqlite ? QLatin1String("CAST(body AS BLOB)") : QLatin1String("body"));
    statement.replace(QLatin1String("%WITHOUT_ROWID%"), sqlite ? QLatin1String(" WITHOUT ROWID") : QLatin1String(""));
    statement.replace(QLatin1String("%ILIKE%"), sqlite ? QLatin1String("LIKE") : QLatin1String("ILIKE"));
    statement.replace(QLatin1String("%OR_FAIL%"), sqlite ? QLatin1String(" OR FAIL") : QLatin1String(""));
    statement.replace(QLatin1String("%IN_IDS%"),
                      sqlite
                          ? QLatin1String("IN (SELECT value FROM json_each(?))")
                          : QLatin1String("= ANY(CAST(? AS BIGINT[]))"));
    statement.replace(QLatin1String("%SKIP_LOCKED%"),
                      sqlite ? QLatin1String("") : QLatin1String(" FOR UPDATE SKIP LOCKED"));
    return statement;
}

} // namespace Migrations
