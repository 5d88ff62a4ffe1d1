// Never reloaded: a goroutine, the arguments, then one line of input,
// one call of counter.Bump and of the C function cstep (step.c, which
// reloads), one line of output with their state, until "quit".
package main

import (
	"bufio"
	"counter"
	"fmt"
	"os"
	"strings"
)

//extern cstep
func cstep(n int32) int32

func main() {
	done := make(chan string)
	go func() { done <- "from a goroutine" }()
	fmt.Println(<-done, len(os.Args)-1, "arguments")
	fmt.Println("ready")
	in := bufio.NewScanner(os.Stdin)
	var c int32
	for in.Scan() {
		line := strings.TrimSpace(in.Text())
		if line == "quit" {
			break
		}
		counter.Bump(line)
		c = cstep(c)
		fmt.Printf("count %d total %d c %d seen %s\n", counter.Count, counter.Total, c, strings.Join(counter.Seen, ","))
	}
}
