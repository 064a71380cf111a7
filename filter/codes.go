package filter

// Code is a reason code. The vocabulary is stable: codes are added, never
// renamed.
type Code string

// Reason codes (DESIGN.md).
const (
	// Content.
	PoliticalContent      Code = "POLITICAL_CONTENT"
	ReligiousContent      Code = "RELIGIOUS_CONTENT"
	GamblingContent       Code = "GAMBLING_CONTENT"
	AdultContent          Code = "ADULT_CONTENT"
	AlcoholContent        Code = "ALCOHOL_CONTENT"
	TobaccoContent        Code = "TOBACCO_CONTENT"
	FirearmsContent       Code = "FIREARMS_CONTENT"
	DrugsContent          Code = "DRUGS_CONTENT"
	HateContent           Code = "HATE_CONTENT"
	LoanContent           Code = "LOAN_CONTENT"
	CryptoContent         Code = "CRYPTO_CONTENT"
	FraudLure             Code = "FRAUD_LURE"
	PromotionalNotAllowed Code = "PROMOTIONAL_NOT_ALLOWED"
	MissingOptOutText     Code = "MISSING_OPT_OUT_TEXT"
	PhoneNumberNotAllowed Code = "PHONE_NUMBER_NOT_ALLOWED"

	// Links and IPs.
	URLNotAllowed        Code = "URL_NOT_ALLOWED"
	URLNotWhitelisted    Code = "URL_NOT_WHITELISTED"
	URLShortener         Code = "URL_SHORTENER"
	PhishingDomain       Code = "PHISHING_DOMAIN"
	DomainBlocked        Code = "DOMAIN_BLOCKED"
	IDNHomograph         Code = "IDN_HOMOGRAPH"
	IPLiteralURL         Code = "IP_LITERAL_URL"
	SourceIPBlocked      Code = "SOURCE_IP_BLOCKED"
	SourceCountryBlocked Code = "SOURCE_COUNTRY_BLOCKED"

	// Sender.
	SenderInvalid        Code = "SENDER_INVALID"
	SenderOriginMismatch Code = "SENDER_ORIGIN_MISMATCH"
	SenderPremiumRate    Code = "SENDER_PREMIUM_RATE"
	SenderIDFormat       Code = "SENDER_ID_FORMAT"
	SenderNotRegistered  Code = "SENDER_NOT_REGISTERED"

	// Time, channel and state.
	QuietHours           Code = "QUIET_HOURS"
	OutsideSessionWindow Code = "OUTSIDE_SESSION_WINDOW"
	SessionLimit         Code = "SESSION_LIMIT"
	OptedOut             Code = "OPTED_OUT"
	RateLimit            Code = "RATE_LIMIT"
	DuplicateFlood       Code = "DUPLICATE_FLOOD"
	BodyTooLong          Code = "BODY_TOO_LONG"

	// EngineError marks the decision the fail mode made when the engine
	// could not decide (Check also returns the error).
	EngineError Code = "ENGINE_ERROR"
)

// DefaultAction is the action a code takes unless its rule says otherwise:
// review for the codes DESIGN.md marks review, defer for quiet hours, block
// for the rest.
func (c Code) DefaultAction() Action {
	switch c {
	case FraudLure, IPLiteralURL:
		return Review
	case QuietHours:
		return Defer
	}
	return Block
}

// knownCodes indexes the vocabulary, for interning decoded codes.
var knownCodes = func() map[string]Code {
	m := map[string]Code{}
	for _, c := range []Code{
		PoliticalContent, ReligiousContent, GamblingContent, AdultContent, AlcoholContent,
		TobaccoContent, FirearmsContent, DrugsContent, HateContent, LoanContent, CryptoContent,
		FraudLure, PromotionalNotAllowed, MissingOptOutText, PhoneNumberNotAllowed,
		URLNotAllowed, URLNotWhitelisted, URLShortener, PhishingDomain, DomainBlocked,
		IDNHomograph, IPLiteralURL, SourceIPBlocked, SourceCountryBlocked,
		SenderInvalid, SenderOriginMismatch, SenderPremiumRate, SenderIDFormat, SenderNotRegistered,
		QuietHours, OutsideSessionWindow, SessionLimit, OptedOut, RateLimit, DuplicateFlood,
		BodyTooLong, EngineError,
	} {
		m[string(c)] = c
	}
	return m
}()
