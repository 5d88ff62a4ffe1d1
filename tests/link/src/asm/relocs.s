# Relocations that compilers rarely emit, written by hand. main.c checks
# each one at run time; asm.sh checks with readelf that this object really
# contains every type named here.
# target_data (24 bytes) and target_fn are defined in defs.c.

	.text
# R_X86_64_GOTPC32: the GOT base, RIP-relative.
	.globl	got_base_pc32
	.type	got_base_pc32, @function
got_base_pc32:
	leaq	_GLOBAL_OFFSET_TABLE_(%rip), %rax
	ret
	.size	got_base_pc32, .-got_base_pc32

# R_X86_64_GOTPC64: the GOT base, with the large-model sequence.
	.globl	got_base_pc64
	.type	got_base_pc64, @function
got_base_pc64:
.Lbase:	leaq	.Lbase(%rip), %rax
	movabsq	$_GLOBAL_OFFSET_TABLE_-.Lbase, %r11
	addq	%r11, %rax
	ret
	.size	got_base_pc64, .-got_base_pc64

# R_X86_64_GOTOFF64 in code: &target_data = GOT + target_data@GOTOFF.
	.globl	addr_gotoff64
	.type	addr_gotoff64, @function
addr_gotoff64:
	call	got_base_pc64
	movabsq	$target_data@GOTOFF, %r11
	addq	%r11, %rax
	ret
	.size	addr_gotoff64, .-addr_gotoff64

# R_X86_64_GOT64 in code: load &target_data from its GOT slot.
	.globl	addr_got64
	.type	addr_got64, @function
addr_got64:
	call	got_base_pc64
	movabsq	$target_data@GOT, %r11
	movq	(%rax,%r11), %rax
	ret
	.size	addr_got64, .-addr_got64

# R_X86_64_PLTOFF64 in code: int call_pltoff64(int x) = target_fn(x).
	.globl	call_pltoff64
	.type	call_pltoff64, @function
call_pltoff64:
	subq	$8, %rsp
	call	got_base_pc64
	movabsq	$target_fn@PLTOFF, %r11
	addq	%r11, %rax
	call	*%rax
	addq	$8, %rsp
	ret
	.size	call_pltoff64, .-call_pltoff64

# R_X86_64_PLTOFF64 to a libc function: long call_labs_pltoff64(long x) = labs(x).
	.globl	call_labs_pltoff64
	.type	call_labs_pltoff64, @function
call_labs_pltoff64:
	subq	$8, %rsp
	call	got_base_pc64
	movabsq	$labs@PLTOFF, %r11
	addq	%r11, %rax
	call	*%rax
	addq	$8, %rsp
	ret
	.size	call_labs_pltoff64, .-call_labs_pltoff64

	.data
	.balign	8
	.globl	pc64_site, pc64_addend_site, gotoff64_site, got64_site, got64_stdout_site
	.globl	gotpcrel64_site, gotpcrel64_labs_site, pltoff64_site
	.globl	size32_site, size32_addend_site, size64_site
	.globl	pc16_site, pc8_site, pc8_back_site
	.globl	near_target, near_before
pc64_site:		.quad	target_data - .			# R_X86_64_PC64
pc64_addend_site:	.quad	target_data + 5 - .		# R_X86_64_PC64, addend 5
gotoff64_site:		.quad	target_data@GOTOFF		# R_X86_64_GOTOFF64
got64_site:		.quad	target_data@GOT			# R_X86_64_GOT64
got64_stdout_site:	.quad	stdout@GOT			# R_X86_64_GOT64 (libc data)
gotpcrel64_site:	.quad	target_data@GOTPCREL		# R_X86_64_GOTPCREL64
gotpcrel64_labs_site:	.quad	labs@GOTPCREL			# R_X86_64_GOTPCREL64 (libc function)
pltoff64_site:		.quad	target_fn@PLTOFF		# R_X86_64_PLTOFF64
size64_site:		.quad	target_data@SIZE		# R_X86_64_SIZE64
size32_site:		.long	target_data@SIZE		# R_X86_64_SIZE32
size32_addend_site:	.long	target_data@SIZE + 100		# R_X86_64_SIZE32, addend 100
near_before:		.byte	0x5a
# gas resolves "sym - ." itself when sym is in the same section, so the
# PC-relative 16/8-bit relocations are requested explicitly with .reloc.
pc16_site:	.reloc	., R_X86_64_PC16, near_target		# R_X86_64_PC16
		.word	0
pc8_site:	.reloc	., R_X86_64_PC8, near_target		# R_X86_64_PC8
		.byte	0
pc8_back_site:	.reloc	., R_X86_64_PC8, near_before		# R_X86_64_PC8, negative
		.byte	0
		.byte	0, 0, 0
near_target:	.byte	0xa5
	.section	.note.GNU-stack,"",@progbits
