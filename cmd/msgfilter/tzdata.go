package main

// The time zone database goes into the binary: the service runs from
// scratch or distroless images without /usr/share/zoneinfo, and quiet
// hours need the recipient's zone. The library leaves this choice to
// its importer.
import _ "time/tzdata"
