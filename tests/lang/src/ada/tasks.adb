--  Tasking, from gnat's tasking library (libgnarl): a task and a
--  rendezvous.
with Ada.Text_IO;
procedure Tasks is
   task Worker is
      entry Go (N : Integer);
   end Worker;

   task body Worker is
   begin
      accept Go (N : Integer) do
         Ada.Text_IO.Put_Line ("worker got" & Integer'Image (N));
      end Go;
   end Worker;
begin
   Worker.Go (42);
   Ada.Text_IO.Put_Line ("main done");
end Tasks;
