#include "common/Logging.h"

Q_LOGGING_CATEGORY(lcStore, "courier.store", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSecrets, "courier.secrets", QtInfoMsg)
Q_LOGGING_CATEGORY(lcIntegrations, "courier.integrations", QtInfoMsg)
Q_LOGGING_CATEGORY(lcDelivery, "courier.delivery", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAlerts, "courier.alerts", QtInfoMsg)
Q_LOGGING_CATEGORY(lcCompletions, "courier.completions", QtInfoMsg)
