/* For the generated torture programs (gen.py): the functions main calls
 * have C names in C++ too. */
#ifndef TORTURE_H
#define TORTURE_H

#ifdef __cplusplus
#define EXPORT extern "C"
#else
#define EXPORT
#endif

#endif
