#include "statements/RuleTable.h"

#include "statements/Finding.h"

#include <algorithm>

namespace {

using K = Rule::Kind;

// In the order of the spec's sections. The requirements are said in our words; the anchors are the spec's.
const QList<Rule> rules = {
    // 2.2 Formatting Requirements
    {"2.2.s2.b2", "2.2 Formatting", K::Checked, "A property appears at most once in an object.", "Fields (every object)"},
    {"2.2.s2.b3", "2.2 Formatting", K::Checked, "A statement has actor, verb and object.", "Walker::statement"},
    {"2.2.s2.b5", "2.2 Formatting", K::Lrs, "The LRS returns properties as they were sent, except those of 2.3.1.",
     "the LRS's serialisation"},
    {"2.2.s3.b1", "2.2 Formatting", K::Covered, "Values that are IRIs are sent as valid IRIs.",
     "the IRI rows: 2.4.3.s3.table1.row1, 2.4.4.1.s1.table1.row2, 2.4.4.1.s2.table1.row3, 4.1.s3.b1, "
     "2.4.11.s2.table1.row1"},
    {"2.2.s3.b2", "2.2 Formatting", K::Covered, "Language map keys are RFC 5646 language tags.", "4.2.s1"},
    {"2.2.s4.b1.b1", "2.2 Formatting", K::Checked, "No property is null, except inside extensions.",
     "Fields, Walker::object"},
    {"2.2.s4.b1.b2", "2.2 Formatting", K::Checked, "Numbers are numbers, not strings holding numbers.",
     "Walker::result (score)"},
    {"2.2.s4.b1.b3", "2.2 Formatting", K::Checked, "Booleans are booleans, not strings holding them.",
     "Walker::result (success, completion)"},
    {"2.2.s4.b1.b4", "2.2 Formatting", K::Covered,
     "A value with a format (mailto IRI, UUID, IRI, ...) follows it; the empty string does not.",
     "4.4, 4.5.s1.b1, 4.6.s1.b1, 2.4.2.3.s3.table1.row1 and the IRI rows of 2.2.s3.b1"},
    {"2.2.s4.b1.b5", "2.2 Formatting", K::Checked, "Property names have the case the spec gives them.",
     "Fields (with a hint when only the case differs)"},
    {"2.2.s4.b1.b6", "2.2 Formatting", K::Checked,
     "Enumerated values (objectType, interactionType) have exactly the spec's case.",
     "Walker::agentOrGroup, statementObject, interaction"},
    {"2.2.s4.b1.b7", "2.2 Formatting", K::Checked, "No property that the spec does not allow in that object.",
     "Fields (every object)"},
    {"2.2.s4.b1.b8", "2.2 Formatting", K::Covered, "IRIs and IRLs have a scheme.", "the IRI rows of 2.2.s3.b1"},
    {"2.2.s4.b2", "2.2 Formatting", K::Covered, "Language map keys have the token lengths RFC 5646 allows.",
     "4.2.s1"},
    {"2.2.s4.b3", "2.2 Formatting", K::Lrs, "The LRS keeps numbers with at least IEEE 754 single precision.",
     "the LRS's storage"},
    {"2.2.s4.b4", "2.2 Formatting", K::Lrs, "The LRS validates request parameters like statement values.",
     "request parameters, not statements"},
    // 2.3 Statement Lifecycle
    {"2.3.1.s9.b1", "2.3.1 Immutability", K::Lrs, "Comparing statements ignores the differences 2.3.1 allows.",
     "comparing statements, done by the LRS"},
    {"2.3.1.s9.b2", "2.3.1 Immutability", K::Lrs, "Comparing statements keeps every other difference.",
     "comparing statements, done by the LRS"},
    {"2.3.2.s2.b1", "2.3.2 Voiding", K::Checked, "A voiding statement's object is a StatementRef.",
     "Walker::statement (verb http://adlnet.gov/expapi/verbs/voided)"},
    {"2.3.2.s2.b2", "2.3.2 Voiding", K::Checked, "A voiding statement's object names the voided statement's id.",
     "Walker::statement"},
    {"2.3.2.s2.b3", "2.3.2 Voiding", K::Lrs, "The LRS treats a statement as voided only through a voiding statement.",
     "the LRS's queries"},
    // 2.4 Statement Properties
    {"2.4.s1.table1.row2", "2.4 Statement Properties", K::Checked, "actor is an Agent or a Group object.",
     "Walker::agentOrGroup"},
    {"2.4.s1.table1.row3", "2.4 Statement Properties", K::Checked, "verb is an object.", "Walker::verb"},
    {"2.4.s1.table1.row4", "2.4 Statement Properties", K::Checked,
     "object is an Activity, Agent, Group, SubStatement or StatementRef.", "Walker::statementObject"},
    {"2.4.s1.table1.row11", "2.4 Statement Properties", K::Checked, "attachments is an array of Attachment objects.",
     "Walker::attachments"},
    {"2.4.1.s1", "2.4.1 Id", K::Checked, "A statement's id is a UUID in its standard string form.",
     "Walker::uuid (FormatChecks: isUuid)"},
    {"2.4.1.s2.b1", "2.4.1 Id", K::Lrs, "The LRS makes an id for a statement that has none.", "the LRS"},
    // 2.4.2 Actor
    {"2.4.2.1.s2.b1", "2.4.2.1 Agent", K::Checked, "An Agent has an inverse functional identifier.",
     "Walker::agentOrGroup"},
    {"2.4.2.1.s2.b2", "2.4.2.1 Agent", K::Checked, "An Agent has no more than one inverse functional identifier.",
     "Walker::agentOrGroup"},
    {"2.4.2.1.s2.table1.row1", "2.4.2.1 Agent", K::Checked, "An Agent's objectType, when given, is \"Agent\".",
     "Walker::agentOrGroup"},
    {"2.4.2.1.s2.table1.row2", "2.4.2.1 Agent", K::Checked, "An Agent's or a Group's name is a string.",
     "Walker::agentOrGroup"},
    {"2.4.2.2.s2.table1.row1", "2.4.2.2 Group", K::Checked, "A Group says objectType \"Group\".",
     "Walker::agentOrGroup (members without objectType Group)"},
    {"2.4.2.2.s2.table1.row3", "2.4.2.2 Group", K::Checked, "A Group's member is an array of Agent objects.",
     "Walker::agentOrGroup"},
    {"2.4.2.2.s3.b1", "2.4.2.2 Group", K::Lrs, "A reader treats every Anonymous Group as distinct.",
     "readers of statements"},
    {"2.4.2.2.s4.b1", "2.4.2.2 Group", K::Checked, "An Anonymous Group lists its members (at least one).",
     "Walker::agentOrGroup"},
    {"2.4.2.2.s4.b2", "2.4.2.2 Group", K::Checked, "An Anonymous Group has no Group among its members.",
     "Walker::agentOrGroup"},
    {"2.4.2.2.s5.b1", "2.4.2.2 Group", K::Checked, "An Identified Group has exactly one inverse functional identifier.",
     "Walker::agentOrGroup"},
    {"2.4.2.2.s5.b2", "2.4.2.2 Group", K::Checked, "An Identified Group has no Group among its members.",
     "Walker::agentOrGroup"},
    {"2.4.2.3.s3.table1.row1", "2.4.2.3 Inverse Functional Identifier", K::Checked,
     "mbox is a mailto IRI of an e-mail address.", "Walker::inverseFunctionalIdentifiers (FormatChecks: isMbox)"},
    {"2.4.2.3.s3.table1.row2", "2.4.2.3 Inverse Functional Identifier", K::Checked,
     "mbox_sha1sum is the hex SHA-1 of a mailto IRI (40 hex digits).",
     "Walker::inverseFunctionalIdentifiers (FormatChecks: isSha1)"},
    {"2.4.2.3.s3.table1.row3", "2.4.2.3 Inverse Functional Identifier", K::Checked, "openid is a URI.",
     "Walker::inverseFunctionalIdentifiers"},
    {"2.4.2.3.s3.table1.row4", "2.4.2.3 Inverse Functional Identifier", K::Checked, "account is an Account object.",
     "Walker::inverseFunctionalIdentifiers"},
    {"2.4.2.4.s2.table1.row1", "2.4.2.4 Account", K::Checked, "An account has homePage, an IRL.",
     "Walker::inverseFunctionalIdentifiers"},
    {"2.4.2.4.s2.table1.row2", "2.4.2.4 Account", K::Checked, "An account has name, a string.",
     "Walker::inverseFunctionalIdentifiers"},
    // 2.4.3 Verb
    {"2.4.3.s3.table1.row1", "2.4.3 Verb", K::Checked, "A Verb has id, an IRI.", "Walker::verb"},
    {"2.4.3.s3.table1.row2", "2.4.3 Verb", K::Checked, "A Verb's display is a language map.", "Walker::verb"},
    {"2.4.3.s4.b1", "2.4.3 Verb", K::Lrs, "A reader takes a Verb's meaning from its IRI.", "readers of statements"},
    {"2.4.3.s4.b3", "2.4.3 Verb", K::NotCheckable, "One Verb IRI has one meaning.",
     "the meaning of an IRI is not in the statement"},
    {"2.4.3.s5.b2", "2.4.3 Verb", K::NotCheckable, "display shows the meaning the Verb IRI already has.",
     "the meaning of an IRI is not in the statement"},
    {"2.4.3.s6.b1", "2.4.3 Verb", K::Lrs, "The LRS returns display as sent in the exact format.", "the LRS"},
    {"2.4.3.s7.b1", "2.4.3 Verb", K::Lrs, "display does not change a Verb's meaning for a reader.",
     "readers of statements"},
    // 2.4.4 Object
    {"2.4.4.s2", "2.4.4 Object", K::Checked,
     "objectType of an object is Activity (the default), Agent, Group, SubStatement or StatementRef.",
     "Walker::statementObject"},
    {"2.4.4.1.s1.table1.row1", "2.4.4.1 Activity", K::Checked, "An Activity's objectType, when given, is \"Activity\".",
     "Walker::statementObject, contextActivity"},
    {"2.4.4.1.s1.table1.row2", "2.4.4.1 Activity", K::Checked, "An Activity has id, an IRI.", "Walker::activity"},
    {"2.4.4.1.s1.table1.row3", "2.4.4.1 Activity", K::Checked, "An Activity's definition is an object.",
     "Walker::activity"},
    {"2.4.4.1.s2.table1.row1", "2.4.4.1 Activity Definition", K::Checked, "name is a language map.",
     "Walker::activity"},
    {"2.4.4.1.s2.table1.row2", "2.4.4.1 Activity Definition", K::Checked, "description is a language map.",
     "Walker::activity"},
    {"2.4.4.1.s2.table1.row3", "2.4.4.1 Activity Definition", K::Checked, "type is an IRI.", "Walker::activity"},
    {"2.4.4.1.s2.table1.row4", "2.4.4.1 Activity Definition", K::Checked, "moreInfo is an IRL.", "Walker::activity"},
    {"2.4.4.1.s2.table1.row5", "2.4.4.1 Activity Definition", K::Covered, "extensions is an extensions map.",
     "4.1.s3.b1"},
    {"2.4.4.1.s3.b1", "2.4.4.1 Activity", K::NotCheckable, "An Activity id is unique to one Activity.",
     "other statements and systems are not in view"},
    {"2.4.4.1.s3.b2", "2.4.4.1 Activity", K::NotCheckable, "An Activity id always means the same Activity.",
     "other statements and systems are not in view"},
    {"2.4.4.1.s4.b1", "2.4.4.1 Activity", K::Lrs, "The LRS takes no action on an id used by several authors.",
     "the LRS"},
    {"2.4.4.1.s4.b2", "2.4.4.1 Activity", K::Lrs, "The LRS treats the same Activity id as the same Activity.",
     "the LRS"},
    {"2.4.4.1.s5.b1", "2.4.4.1 Activity", K::NotCheckable, "A provider does not use one Activity id for several.",
     "other statements are not in view"},
    {"2.4.4.1.s5.b2", "2.4.4.1 Activity", K::NotCheckable,
     "A provider's statements about an Activity stay consistent with earlier ones.",
     "earlier statements are not in view"},
    {"2.4.4.1.s5.b3", "2.4.4.1 Activity", K::NotCheckable, "New versions of an Activity do not break compatibility.",
     "earlier statements are not in view"},
    {"2.4.4.1.s8.table1.row2", "2.4.4.1 Interaction Activities", K::Checked,
     "correctResponsesPattern is an array of strings.", "Walker::interaction"},
    {"2.4.4.1.s10.table1.row2", "2.4.4.1 Interaction Activities", K::NotCheckable,
     "A response of one item has no [,] delimiter (choice, fill-in).",
     "one item holding \"[,]\" cannot be told from two items"},
    {"2.4.4.1.s13.b1", "2.4.4.1 Interaction Activities", K::Checked,
     "An interaction (one with interaction properties) has a valid interactionType.", "Walker::interaction"},
    {"2.4.4.1.s15.table1.row1", "2.4.4.1 Interaction Components", K::Checked,
     "An interaction component has id, a string; its description is a language map.", "Walker::interaction"},
    {"2.4.4.1.s15.table2", "2.4.4.1 Interaction Components", K::Checked,
     "Each component list (choices, scale, source, target, steps) only with its interactionTypes, as an array of "
     "components.",
     "Walker::interaction"},
    {"2.4.4.1.s16.b1", "2.4.4.1 Interaction Components", K::Checked,
     "The ids within one list of interaction components are distinct.", "Walker::interaction"},
    {"2.4.4.2.s1.b1", "2.4.4.2 Agent or Group as Object", K::Checked,
     "An Agent or a Group as the object says its objectType.", "Walker::statementObject"},
    {"2.4.4.3.s4.b1", "2.4.4.3 Statement Reference", K::Checked, "A Statement Reference says objectType StatementRef.",
     "Walker::statementRef, statementObject (a UUID id without objectType)"},
    {"2.4.4.3.s4.b2", "2.4.4.3 Statement Reference", K::Checked, "A Statement Reference has id, a UUID.",
     "Walker::statementRef"},
    {"2.4.4.3.s8.b1", "2.4.4.3 SubStatement", K::Checked, "A SubStatement says objectType SubStatement.",
     "Walker::statementObject (an object with actor or verb and no objectType)"},
    {"2.4.4.3.s8.b2", "2.4.4.3 SubStatement", K::Covered, "A SubStatement is validated as a statement.",
     "every rule of a statement, applied inside it (Walker::statement with sub)"},
    {"2.4.4.3.s8.b3", "2.4.4.3 SubStatement", K::Checked,
     "A SubStatement has no id, stored, version or authority.", "Walker::statement (sub)"},
    {"2.4.4.3.s8.b4", "2.4.4.3 SubStatement", K::Checked, "A SubStatement contains no SubStatement.",
     "Walker::statementObject"},
    // 2.4.5 Result
    {"2.4.5.s2.table1.row1", "2.4.5 Result", K::Checked, "result is an object; score is a Score object.",
     "Walker::result"},
    {"2.4.5.s2.table1.row4", "2.4.5 Result", K::Checked, "response is a string.", "Walker::result"},
    {"2.4.5.s2.table1.row5", "2.4.5 Result", K::Covered, "duration is a Duration.", "4.6.s1.b1"},
    {"2.4.5.1.s2.table1.row1", "2.4.5.1 Score", K::Checked, "scaled is between -1 and 1.", "Walker::result"},
    {"2.4.5.1.s2.table1.row2", "2.4.5.1 Score", K::Checked, "raw is between min and max.", "Walker::result"},
    {"2.4.5.1.s2.table1.row3", "2.4.5.1 Score", K::Checked, "min is less than max.", "Walker::result"},
    // 2.4.6 Context
    {"2.4.6.s3.table1.row1", "2.4.6 Context", K::Checked, "context is an object; registration is a UUID.",
     "Walker::context"},
    {"2.4.6.s3.table1.row2", "2.4.6 Context", K::Checked, "instructor is an Agent or a Group.", "Walker::context"},
    {"2.4.6.s3.table1.row3", "2.4.6 Context", K::Checked, "team is a Group.", "Walker::context"},
    {"2.4.6.s3.table1.row5", "2.4.6 Context", K::Checked, "revision and platform are strings.", "Walker::context"},
    {"2.4.6.s3.table1.row7", "2.4.6 Context", K::Checked, "language is an RFC 5646 language tag.", "Walker::context"},
    {"2.4.6.s3.table1.row8", "2.4.6 Context", K::Checked, "statement is a Statement Reference.", "Walker::context"},
    {"2.4.6.s4.b1", "2.4.6 Context", K::Checked, "revision only when the statement's object is an Activity.",
     "Walker::context"},
    {"2.4.6.s4.b2", "2.4.6 Context", K::Checked, "platform only when the statement's object is an Activity.",
     "Walker::context"},
    {"2.4.6.contextAgents", "2.4.6 Context (2.0.0)", K::Checked,
     "contextAgents is an array of {objectType \"contextAgent\", agent: an Agent, relevantTypes}, nothing else; "
     "in a 1.0.3 statement it is refused as unknown (2.2.s4.b1.b7).",
     "Walker::contextAgents", Rule::V200},
    {"2.4.6.contextGroups", "2.4.6 Context (2.0.0)", K::Checked,
     "contextGroups is an array of {objectType \"contextGroup\", group: a Group, relevantTypes}, nothing else; in a "
     "1.0.3 statement it is refused as unknown (2.2.s4.b1.b7).",
     "Walker::contextAgents", Rule::V200},
    {"2.4.6.relevantTypes", "2.4.6 Context (2.0.0)", K::Checked,
     "relevantTypes of a contextAgent or contextGroup, when present, is a non-empty array of IRIs.",
     "Walker::contextAgents", Rule::V200},
    {"2.4.6.s4.b3", "2.4.6 Context", K::NotCheckable, "language is left out when not known.",
     "whether the language is known is not in the statement"},
    {"2.4.6.2.s4.b1", "2.4.6.2 ContextActivities", K::Checked,
     "contextActivities has only parent, grouping, category and other.", "Walker::context"},
    {"2.4.6.2.s4.b2", "2.4.6.2 ContextActivities", K::Checked,
     "Each contextActivities value is an Activity or an array of Activities.", "Walker::contextActivity"},
    {"2.4.6.2.s4.b3", "2.4.6.2 ContextActivities", K::Lrs, "The LRS returns every contextActivities value as an array.",
     "the LRS"},
    // 2.4.7 - 2.4.10
    {"2.4.7.s3.b1", "2.4.7 Timestamp", K::Covered, "timestamp is a Timestamp.", "4.5.s1.b1"},
    {"2.4.7.s3.b4", "2.4.7 Timestamp", K::Checked,
     "A statement's timestamp is not in the future (a SubStatement's may be).",
     "Walker::statement (more than 15 minutes ahead of this machine's clock, for clocks that differ)"},
    {"2.4.8.s3.b1", "2.4.8 Stored", K::Covered, "stored is a Timestamp.", "4.5.s1.b1"},
    {"2.4.8.s3.b2", "2.4.8 Stored", K::Lrs, "The LRS sets stored, overwriting a value sent.", "the LRS"},
    {"2.4.9.s3.b1", "2.4.9 Authority", K::Checked,
     "authority is an Agent, or (3-legged OAuth) an Anonymous Group of exactly two Agents.",
     "Walker::statement (authority)"},
    {"2.4.9.s3.b2", "2.4.9 Authority", K::Lrs, "The LRS puts the user (HTTP Basic) into the authority.", "the LRS"},
    {"2.4.9.s3.b3", "2.4.9 Authority", K::Lrs, "The LRS stores every statement with an authority.", "the LRS"},
    {"2.4.9.s7.b1", "2.4.9 Authority", K::Lrs, "The authority holds the OAuth consumer as an Agent.",
     "the LRS builds it from the OAuth credentials"},
    {"2.4.9.s7.b2", "2.4.9 Authority", K::Lrs, "The OAuth consumer is identified by an account.",
     "the LRS builds it from the OAuth credentials"},
    {"2.4.9.s7.b3", "2.4.9 Authority", K::Lrs, "The account's name is the consumer key.",
     "the LRS builds it from the OAuth credentials"},
    {"2.4.9.s7.b4", "2.4.9 Authority", K::Lrs, "A registered application's homePage is the token endpoint.",
     "the LRS builds it from the OAuth credentials"},
    {"2.4.9.s7.b5", "2.4.9 Authority", K::Lrs, "An unregistered application's homePage is the temporary endpoint.",
     "the LRS builds it from the OAuth credentials"},
    {"2.4.9.s7.b6", "2.4.9 Authority", K::Lrs, "The LRS does not trust an unregistered application's part.",
     "the LRS"},
    {"2.4.10.s2.b1", "2.4.10 Version", K::Checked,
     "version has the form of the version header: 1.0 or 1.0.x; in xAPI 2.0.0 also 2.0.0.", "Walker::statement"},
    {"2.4.10.s3.b1", "2.4.10 Version", K::Lrs, "The LRS accepts any 1.0.x version.", "the LRS"},
    {"2.4.10.s3.b2", "2.4.10 Version", K::Covered, "A version that does not start with 1.0. is refused.",
     "2.4.10.s2.b1"},
    {"2.4.10.s3.b3", "2.4.10 Version", K::Lrs, "The LRS keeps the version, or sets 1.0.0.", "the LRS"},
    {"2.4.10.s4.b1", "2.4.10 Version", K::NotCheckable, "A provider that sets version sets 1.0.0.",
     "not refused: an LRS must accept any 1.0.x (2.4.10.s3.b1), so refusing 1.0.3 here would stop statements every "
     "LRS takes"},
    // 2.4.11 Attachments
    {"2.4.11.s2.table1.row1", "2.4.11 Attachments", K::Checked, "An attachment has usageType, an IRI.",
     "Walker::attachments"},
    {"2.4.11.s2.table1.row2", "2.4.11 Attachments", K::Checked, "An attachment has display, a language map.",
     "Walker::attachments"},
    {"2.4.11.s2.table1.row3", "2.4.11 Attachments", K::Checked, "An attachment's description is a language map.",
     "Walker::attachments"},
    {"2.4.11.s2.table1.row4", "2.4.11 Attachments", K::Checked, "An attachment has contentType, an Internet media type.",
     "Walker::attachments"},
    {"2.4.11.s2.table1.row5", "2.4.11 Attachments", K::Checked, "An attachment has length, a whole number of octets.",
     "Walker::attachments"},
    {"2.4.11.s2.table1.row6", "2.4.11 Attachments", K::Checked, "An attachment has sha2, a string.",
     "Walker::attachments"},
    {"2.4.11.s2.table1.row7", "2.4.11 Attachments", K::Checked, "An attachment's fileUrl is an IRL.",
     "Walker::attachments"},
    // 2.5, 2.6
    {"2.5.s3.b1", "2.5 Retrieval", K::Lrs, "A more IRL works for 24 hours.", "the LRS"},
    {"2.6.s4.b1", "2.6 Signed Statements", K::Checked,
     "A signature attachment (usageType .../attachments/signature) has contentType application/octet-stream.",
     "Walker::attachments"},
    {"2.6.s4.b3", "2.6 Signed Statements", K::NotCheckable, "The JWS payload is the statement before signing.",
     "the signature's bytes travel in a multipart request, not in the statement"},
    {"2.6.s4.b4", "2.6 Signed Statements", K::NotCheckable, "The JWS uses RS256, RS384 or RS512.",
     "the signature's bytes travel in a multipart request, not in the statement"},
    {"2.6.s5.b1", "2.6 Signed Statements", K::Lrs, "The LRS refuses malformed signatures.", "the LRS"},
    // 3 Metadata
    {"3.1.s1.b2", "3.1 IRI Requirements", K::NotCheckable, "New Verb IRIs are ones their author controls.",
     "who controls an IRI is not in the statement"},
    // 4 Special Data Types
    {"4.1.s3.b1", "4.1 Extensions", K::Checked, "The keys of an extensions map are IRIs; its values may be anything.",
     "Walker::extensions"},
    {"4.1.s3.b2", "4.1 Extensions", K::Lrs, "An LRS does not refuse a statement for its extension values.",
     "honoured: extension values are never checked"},
    {"4.2.s1", "4.2 Language Maps", K::Checked,
     "A language map's keys are RFC 5646 language tags and its values are strings.",
     "Walker::languageMap (FormatChecks: isLanguageTag)"},
    {"4.4", "4.4 UUIDs", K::Covered, "A UUID is in the standard string form (8-4-4-4-12 hex digits).",
     "2.4.1.s1, 2.4.4.3.s4.b2, 2.4.6.s3.table1.row1 (FormatChecks: isUuid)"},
    {"4.5.s1.b1", "4.5 Timestamps", K::Checked,
     "A Timestamp is an ISO 8601 date and time; an offset of -00, -0000 or -00:00 is refused.",
     "Walker::timestamp (FormatChecks: isTimestamp)"},
    {"4.5.rfc3339", "4.5 Timestamps (2.0.0)", K::Checked,
     "A Timestamp is RFC 3339 with seconds and an offset (Z or ±hh:mm); -00:00 is refused, a space may stand for T.",
     "Walker::timestamp (FormatChecks: isRfc3339Timestamp)", Rule::V200},
    {"4.5.s1.b3", "4.5 Timestamps", K::Lrs, "A Timestamp keeps at least millisecond precision.",
     "the LRS's storage"},
    {"4.6.s1.b1", "4.6 Durations", K::Checked,
     "A Duration has the ISO 8601 form PnYnMnDTnHnMnS or PnW (weeks alone), a fraction only on the last part.",
     "Walker::result (FormatChecks: isDuration)"},
};

} // namespace

QString Rule::kindName() const
{
    switch (kind) {
    case Kind::Checked:
        return QStringLiteral("checked");
    case Kind::Covered:
        return QStringLiteral("covered");
    case Kind::Lrs:
        return QStringLiteral("LRS");
    case Kind::NotCheckable:
        return QStringLiteral("not checkable");
    }
    return {};
}

QString Rule::citation() const
{
    return QStringLiteral("xAPI %1 Data %2")
        .arg(versions == V200 ? QLatin1StringView("2.0.0") : QLatin1StringView("1.0.3"), QLatin1StringView(id));
}

const QList<Rule>& RuleTable::all()
{
    return rules;
}

const Rule* RuleTable::find(QStringView id)
{
    const auto found = std::find_if(rules.cbegin(), rules.cend(),
                                    [&](const Rule& rule) { return QLatin1StringView(rule.id) == id; });
    return found == rules.cend() ? nullptr : &*found;
}

QString RuleTable::markdown()
{
    QString text = QStringLiteral("| Rule | Section | Versions | Requirement | Status | Where, or why not |\n"
                                  "| --- | --- | --- | --- | --- | --- |\n");
    for (const Rule& rule : rules) {
        const QString versions = rule.versions == Rule::Both   ? QStringLiteral("1.0.3, 2.0.0")
                                 : rule.versions == Rule::V103 ? QStringLiteral("1.0.3")
                                                               : QStringLiteral("2.0.0");
        text += QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6 |\n")
                    .arg(QLatin1StringView(rule.id), QLatin1StringView(rule.section), versions,
                         QString::fromUtf8(rule.requirement).replace(QLatin1Char('|'), QStringLiteral("\\|")),
                         rule.kindName(), QString::fromUtf8(rule.where));
    }
    return text;
}

QString Finding::citation() const
{
    const Rule* known = RuleTable::find(rule);
    return known ? known->citation() : QString();
}

QString Finding::toText() const
{
    const QString cited = citation();
    return path + QStringLiteral(": ") + message + (cited.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(cited));
}
