// Layer: compat. (in progress)
export {};
