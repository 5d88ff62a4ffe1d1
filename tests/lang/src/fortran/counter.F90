! The reloaded module: bump() counts calls in a module variable and adds
! VER * 10 to a COMMON block's total; step() says which version runs.
module counter
  implicit none
  integer :: count = 0
  integer :: total
  common /stats/ total
contains
  subroutine bump()
    count = count + 1
    total = total + VER * 10
  end subroutine bump

  integer function step()
    step = VER
  end function step
end module counter
