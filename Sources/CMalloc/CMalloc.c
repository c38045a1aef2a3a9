// Header-only: the declarations come from include/CMalloc.h.
#include "CMalloc.h"
