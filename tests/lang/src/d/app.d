// Never reloaded: one line of input, one call of bump(), one line of
// output with the module's state, until "quit" or the end of input. A
// class, an exception and the arguments, as the toolchain's link runs them.
module app;
import counter;
import std.stdio;
import std.string : strip;

class Greeter
{
    string name;
    this(string n) { name = n; }
    string greet() { return "hello " ~ name; }
}

void main(string[] args)
{
    writeln((new Greeter("d")).greet(), ", ", args.length - 1, " arguments");
    try
        throw new Exception("thrown");
    catch (Exception e)
        writeln("caught ", e.msg);
    writeln("ready");
    stdout.flush();
    foreach (line; stdin.byLine)
    {
        if (line.strip == "quit")
            break;
        bump(line.strip.idup);
        show();
    }
}
