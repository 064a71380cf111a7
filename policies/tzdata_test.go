package policies_test

// Tests load the packs' zones on any host; the library leaves the tz
// database to the program (see rules.LoadZone).
import _ "time/tzdata"
