// One line of input, one call of bump(), one line of output with the
// program's state, until the end of input: a static mut counter, a
// thread-local one, a String and a Vec from std; a &str and a String
// that hotld --print shows as text.
use std::cell::Cell;
use std::io::BufRead;

static mut COUNT: i32 = 0;
#[used]
static NAME: &str = "counter";
static mut LAST: String = String::new();
thread_local!(static CALLS: Cell<u32> = Cell::new(0));

#[inline(never)]
fn bump() -> i32 {
    CALLS.with(|c| c.set(c.get() + 1));
    unsafe {
        COUNT += 1;
        COUNT
    }
}

fn main() {
    println!("ready");
    let mut seen: Vec<String> = Vec::new();
    for line in std::io::stdin().lock().lines() {
        let line = match line {
            Ok(l) => l,
            Err(_) => break,
        };
        unsafe { LAST = line.clone(); }
        seen.push(line);
        let calls = CALLS.with(|c| c.get());
        println!("count {} calls {} seen {}", bump(), calls, seen.join(","));
    }
}
