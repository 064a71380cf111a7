# Where a message comes from: the client address that submitted it and the
# sender registry. Go looks the address up (GeoIP, blocked_networks.txt,
# tenant lists) and the sender up (senders.txt, tenant registry); these
# rules only read input.source and input.sender.registered.
package msgfilter.global

# METADATA
# title: No messages submitted from a blocked network
# description: >-
#   The source IP is on the global pack's, the destination pack's or the
#   tenant's blocked_networks list.
# related_resources:
#   - ref: https://pdfslide.us/documents/m3aawg-mobile-messaging-best-practices-for-service-account-identifier-and.html
#     description: M3AAWG Mobile Messaging Best Practices for Service Providers (identify and cut off abusive sources)
# custom:
#   id: global/source-ip-blocked
#   effective: "2014-07-31"
reasons contains r if {
	input.source.blocked
	r := {"code": "SOURCE_IP_BLOCKED", "rule": "global/source-ip-blocked", "evidence": input.source.ip}
}

# METADATA
# title: No messages submitted from a blocked country
# description: >-
#   The source IP's country (from the GeoIP database) is in
#   blocked_source_countries of the global pack or the destination pack.
#   Without a database, or for a reserved address, the country is unknown
#   and this rule never fires.
# related_resources:
#   - ref: https://pdfslide.us/documents/m3aawg-mobile-messaging-best-practices-for-service-account-identifier-and.html
#     description: M3AAWG Mobile Messaging Best Practices for Service Providers (identify and cut off abusive sources)
# custom:
#   id: global/source-country-blocked
#   effective: "2014-07-31"
reasons contains r if {
	input.source.found
	blocked_source_country(input.source.country)
	r := {"code": "SOURCE_COUNTRY_BLOCKED", "rule": "global/source-country-blocked", "evidence": input.source.country}
}

# Objects keyed by country code: a lookup, not a loop.
blocked_source_country(cc) if data.global.blocked_source_countries[cc]

blocked_source_country(cc) if {
	data.countries[lower(input.message.country)].blocked_source_countries[cc]
}

# METADATA
# title: Alphanumeric senders and short codes must be in the sender registry
# description: >-
#   Applies where a registry is configured: a tenant's Senders, or a
#   destination pack's senders.txt. A pack that reports this with its own
#   citation sets "sender_registry_rule": true in its data.json, and this
#   rule stays silent for it.
# related_resources:
#   - ref: https://pdfslide.us/documents/m3aawg-mobile-messaging-best-practices-for-service-account-identifier-and.html
#     description: M3AAWG Mobile Messaging Best Practices for Service Providers (service account identifiers)
# custom:
#   id: global/sender-not-registered
#   effective: "2014-07-31"
reasons contains r if {
	input.sender.registered == false
	not data.countries[lower(input.message.country)].sender_registry_rule
	r := {"code": "SENDER_NOT_REGISTERED", "rule": "global/sender-not-registered", "evidence": input.sender.raw}
}
