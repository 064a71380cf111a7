# France: Code des postes et des communications électroniques (art. L34-5)
# and the operators' business-messaging charter.
package msgfilter.countries.fr

# METADATA
# title: Promotional messages to France say how to opt out (STOP)
# related_resources:
#   - ref: https://www.cnil.fr/fr/la-prospection-commerciale-par-sms-mms
#     description: CNIL, la prospection commerciale par SMS/MMS (free opt-out mention, "STOP")
#   - ref: https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000032235707
#     description: Code des postes et des communications électroniques, article L34-5
# custom:
#   id: fr/promotional-opt-out-text
#   effective: "2016-07-01"
reasons contains r if {
	input.message.kind == "promotional"
	not input.content.opt_out_text
	r := {"code": "MISSING_OPT_OUT_TEXT", "rule": "fr/promotional-opt-out-text", "evidence": "no STOP mention"}
}

# METADATA
# title: No promotional messages to France from 20:00 to 08:00, on Sundays or on public holidays
# description: >-
#   Stricter than the 2026 af2m charter (08:00-21:30, Sundays tolerated) on
#   purpose: the hours most French operators and aggregators still enforce.
#   Public holidays are those of Code du travail L3133-1, computed for any
#   year (data.json: holiday_calendars FR).
# related_resources:
#   - ref: http://www.smsenvoi.com/blog/comment-stop-sms-publicitaire/
#     description: SMSEnvoi, SMS publicitaires interdits de 20h à 8h, le dimanche et les jours fériés
#   - ref: https://af2m.org/charte-business-messaging-2026-laf2m-renforce-les-regles-du-jeu
#     description: af2m business messaging charter 2026
#   - ref: https://www.legifrance.gouv.fr/codes/id/LEGISCTA000033008129/
#     description: Code du travail, article L3133-1 (public holidays)
# custom:
#   id: fr/promotional-quiet-hours
#   effective: "2024"
reasons contains r if {
	input.message.kind == "promotional"
	until := input.time.quiet_until.promotional
	r := {"code": "QUIET_HOURS", "rule": "fr/promotional-quiet-hours", "evidence": sprintf("quiet hours in %s until %s", [input.time.zone, until]), "until": until}
}
