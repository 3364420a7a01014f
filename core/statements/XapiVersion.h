#pragma once

#include <QString>
#include <QStringView>

#include <optional>

// The version of xAPI a statement is validated against, or sent as: 1.0.3, or 2.0.0 (IEEE 9274.1.1-2023), which adds
// context.contextAgents and context.contextGroups, asks for RFC 3339 timestamps with an offset and allows the
// statement version 2.0.0; everything 1.0.3 requires still holds.
enum class XapiVersion { V1_0_3, V2_0_0 };

namespace XapiVersions {

// "1.0.3" or "2.0.0": also the X-Experience-API-Version header's value.
inline QString name(XapiVersion version)
{
    return version == XapiVersion::V2_0_0 ? QStringLiteral("2.0.0") : QStringLiteral("1.0.3");
}

// "1.0.3" (or "1.0") and "2.0.0" (or "2.0"); nothing else.
inline std::optional<XapiVersion> parse(QStringView text)
{
    if (text == u"1.0.3" || text == u"1.0")
        return XapiVersion::V1_0_3;
    if (text == u"2.0.0" || text == u"2.0")
        return XapiVersion::V2_0_0;
    return std::nullopt;
}

} // namespace XapiVersions
