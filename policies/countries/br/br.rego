# Brazil: fixed-odds betting advertising under Law 14.790/2023 and Portaria
# SPA/MF 1.231/2024.
package msgfilter.countries.br

# category_reason is the reason for a term category found with a score of 2
# or more (one strong term, or two weak ones); undefined below that. The
# evidence is the text the sender wrote, one match per term.
category_reason(category, code, rule) := r if {
	found := input.content.categories[category]
	found.score >= 2
	r := {"code": code, "rule": rule, "evidence": concat(", ", found.evidence)}
}

# METADATA
# title: No betting or gambling promotion to Brazil except from an authorized operator's .bet.br site
# description: >-
#   Only operators authorized by the Secretariat of Prizes and Bets may advertise,
#   and their sites end in .bet.br. A message with gambling content passes only
#   when it links to a .bet.br site and to nothing else; casinos outside the
#   regulated fixed-odds market and unlicensed bets are blocked.
# related_resources:
#   - ref: https://bnldata.com.br/legislacao/portaria-spa-mf-no-1-231-de-31-de-julho-de-2024-estabelece-regras-e-diretrizes-para-o-jogo-responsavel-e-para-as-acoes-de-comunicacao-de-publicidade-e-propaganda-e-de-marketing-e-regulamenta-os-d/
#     description: Portaria SPA/MF 1.231 of 31 July 2024 - rules for advertising and marketing of fixed-odds betting (Law 14.790/2023)
#   - ref: https://www.ancora1.com/noticias/ministerio-da-fazenda-impoe-limites-a-publicidades-de-apostas
#     description: Ministry of Finance - companies not authorized may not advertise; authorized operators' sites end in .bet.br
#   - ref: https://yogonet.com/brasil/noticias/2024/12/06/3865-secretaria-de-premios-e-apostas-antecipa-vigencia-de-parte-da-portaria-de-publicidade
#     description: SPA applies the advertising rules of Portaria 1.231 immediately from 6 December 2024 (STF decision)
# custom:
#   id: br/gambling-content
#   effective: "2025-01-01"
reasons contains r if {
	r := category_reason("gambling", "GAMBLING_CONTENT", "br/gambling-content")
	not authorized_operator_links
}

# authorized_operator_links: the message links only to .bet.br sites, and to
# at least one.
authorized_operator_links if {
	count(input.links) > 0
	every l in input.links {
		endswith(lower(l.host), ".bet.br")
	}
}
