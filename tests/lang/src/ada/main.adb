--  Never reloaded: an exception, the arguments, then one line of input,
--  one call of Counter.Bump, one line of output, until "quit".
with Ada.Command_Line;
with Ada.Text_IO;
with Counter;
procedure Main is
begin
   begin
      raise Constraint_Error with "thrown";
   exception
      when E : Constraint_Error =>
         Ada.Text_IO.Put_Line ("caught, " & Integer'Image (Ada.Command_Line.Argument_Count) & " arguments");
   end;
   Ada.Text_IO.Put_Line ("ready");
   Ada.Text_IO.Flush;
   while not Ada.Text_IO.End_Of_File loop
      declare
         Line : constant String := Ada.Text_IO.Get_Line;
      begin
         exit when Line = "quit";
         Counter.Bump;
         Counter.Show;
      end;
   end loop;
end Main;
