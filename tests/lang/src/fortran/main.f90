! Never reloaded: one line of input, one call of bump(), one line of
! output with the module's state, until "quit" or the end of input.
program main
  use counter
  implicit none
  character(len=32) :: line
  integer :: ios
  print '(a)', 'ready'
  flush(6)
  do
    read(*, '(a)', iostat=ios) line
    if (ios /= 0 .or. line == 'quit') exit
    call bump()
    print '(a,i0,a,i0,a,i0)', 'count ', count, ' step ', step(), ' total ', total
    flush(6)
  end do
end program main
