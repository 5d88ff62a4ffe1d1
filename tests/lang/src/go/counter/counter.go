// The Go package a reload would change: hotld refuses it, since the
// package registered its types and roots with libgo at the start.
package counter

var Count int
var Total = 100
var Seen []string

func Bump(line string) {
	Count++
	Total += 1
	Seen = append(Seen, line)
}
