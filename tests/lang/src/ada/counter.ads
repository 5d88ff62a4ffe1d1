--  The reloaded package: Count in its specification, Total in its body,
--  set by the body's elaboration.
package Counter is
   Count : Integer := 0;
   procedure Bump;
   procedure Show;
end Counter;
