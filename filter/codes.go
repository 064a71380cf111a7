package filter

// Code is a reason code. The vocabulary (DESIGN.md) lives here and is
// stable: codes are added, never renamed. A pack whose rules name a code
// outside it fails to load, and a reason with an unknown code found at
// evaluation is an engine error.
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
	InvestmentContent     Code = "INVESTMENT_CONTENT"
	FraudLure             Code = "FRAUD_LURE"
	PromotionalNotAllowed Code = "PROMOTIONAL_NOT_ALLOWED"
	MissingOptOutText     Code = "MISSING_OPT_OUT_TEXT"
	PhoneNumberNotAllowed Code = "PHONE_NUMBER_NOT_ALLOWED"
	TemplateNotRegistered Code = "TEMPLATE_NOT_REGISTERED"

	// Model and campaigns.
	SpamSuspected   Code = "SPAM_SUSPECTED"
	FraudSuspected  Code = "FRAUD_SUSPECTED"
	ReportedContent Code = "REPORTED_CONTENT"
	DuplicateFlood  Code = "DUPLICATE_FLOOD"

	// Links and IPs.
	URLNotAllowed        Code = "URL_NOT_ALLOWED"
	URLNotWhitelisted    Code = "URL_NOT_WHITELISTED"
	URLShortener         Code = "URL_SHORTENER"
	PhishingDomain       Code = "PHISHING_DOMAIN"
	DomainBlocked        Code = "DOMAIN_BLOCKED"
	IDNHomograph         Code = "IDN_HOMOGRAPH"
	SuspiciousLink       Code = "SUSPICIOUS_LINK"
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
	BodyTooLong          Code = "BODY_TOO_LONG"

	// Engine. EngineError marks the decision the fail mode made when the
	// engine could not decide (Check also returns the error); EngineTimeout
	// when it could not decide before the check's deadline.
	EngineError   Code = "ENGINE_ERROR"
	EngineTimeout Code = "ENGINE_TIMEOUT"
)

// DefaultAction is the action a code takes unless its rule says otherwise:
// review for the codes DESIGN.md marks review, defer for quiet hours and
// rate limits, block
// for the rest.
func (c Code) DefaultAction() Action {
	switch c {
	case FraudLure, IPLiteralURL, SpamSuspected:
		return Review
	case QuietHours, RateLimit:
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
		InvestmentContent, FraudLure, PromotionalNotAllowed, MissingOptOutText, PhoneNumberNotAllowed,
		TemplateNotRegistered, SpamSuspected, FraudSuspected, ReportedContent, DuplicateFlood,
		URLNotAllowed, URLNotWhitelisted, URLShortener, PhishingDomain, DomainBlocked,
		IDNHomograph, SuspiciousLink, IPLiteralURL, SourceIPBlocked, SourceCountryBlocked,
		SenderInvalid, SenderOriginMismatch, SenderPremiumRate, SenderIDFormat, SenderNotRegistered,
		QuietHours, OutsideSessionWindow, SessionLimit, OptedOut, RateLimit,
		BodyTooLong, EngineError, EngineTimeout,
	} {
		m[string(c)] = c
	}
	return m
}()
