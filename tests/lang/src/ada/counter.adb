with Ada.Text_IO;
package body Counter is
   Total : Integer := 0;
   Step : constant Integer := 1;

   procedure Bump is
   begin
      Count := Count + 1;
      Total := Total + Step;
   end Bump;

   procedure Show is
   begin
      Ada.Text_IO.Put_Line ("count" & Integer'Image (Count) & " step" & Integer'Image (Step)
                            & " total" & Integer'Image (Total));
      Ada.Text_IO.Flush;
   end Show;
begin
   Total := 100;
end Counter;
