package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/ivscdk/ivscdk/ivstoken"
)

func (e env) keygen(args []string) int {
	flags := e.newFlags("ivscdk keygen", "ivscdk keygen [-private FILE] [-public FILE] [-force]   or   ivscdk keygen -from PRIVATE.pem [-public FILE] [-force]")
	privatePath := flags.String("private", "ivs-private.pem", "`file` for the private key (PKCS #8 PEM, mode 0600): keep it secret, it signs tokens")
	publicPath := flags.String("public", "ivs-public.pem", "`file` for the public key (PEM): upload it as PublicKeyMaterial")
	force := flags.Bool("force", false, "overwrite existing files")
	from := flags.String("from", "", "derive the public key from this existing private key `file` instead of making a new pair")
	if code := parse(flags, args); code >= 0 {
		return code
	}
	if flags.NArg() > 0 {
		return e.usageError(flags, "unexpected arguments %q", flags.Args())
	}
	if *from != "" {
		if isSet(flags, "private") {
			return e.usageError(flags, "-from reads the private key: -private has no use with it")
		}
		return e.publicFrom(flags.Name(), *from, *publicPath, *force)
	}
	if *privatePath == *publicPath {
		return e.usageError(flags, "-private and -public name the same file")
	}
	if !*force {
		for _, p := range []string{*privatePath, *publicPath} {
			if _, err := os.Stat(p); err == nil {
				return e.fail(flags.Name(), fmt.Errorf("%s exists; use -force to overwrite it", p))
			}
		}
	}
	key, err := ivstoken.GenerateKey()
	if err != nil {
		return e.fail(flags.Name(), err)
	}
	private, err := ivstoken.MarshalPrivateKeyPEM(key)
	if err != nil {
		return e.fail(flags.Name(), err)
	}
	public, err := ivstoken.MarshalPublicKeyPEM(&key.PublicKey)
	if err != nil {
		return e.fail(flags.Name(), err)
	}
	if err := writeFile(*privatePath, private, 0o600, *force); err != nil {
		return e.fail(flags.Name(), err)
	}
	if err := writeFile(*publicPath, public, 0o644, *force); err != nil {
		return e.fail(flags.Name(), err)
	}
	fmt.Fprintf(e.stdout, "wrote %s (private key: keep it secret) and %s (public key)\n", *privatePath, *publicPath)
	return exitOK
}

// publicFrom writes the public half of the private key in from.
func (e env) publicFrom(name, from, publicPath string, force bool) int {
	if from == publicPath {
		return e.fail(name, fmt.Errorf("-from and -public name the same file %s: that would overwrite the private key", from))
	}
	key, err := readPrivateKey(from)
	if err != nil {
		return e.fail(name, err)
	}
	public, err := ivstoken.MarshalPublicKeyPEM(&key.PublicKey)
	if err != nil {
		return e.fail(name, err)
	}
	if !force {
		if _, err := os.Stat(publicPath); err == nil {
			return e.fail(name, fmt.Errorf("%s exists; use -force to overwrite it", publicPath))
		}
	}
	if err := writeFile(publicPath, public, 0o644, force); err != nil {
		return e.fail(name, err)
	}
	fmt.Fprintf(e.stdout, "wrote %s (the public key of %s)\n", publicPath, from)
	return exitOK
}

// writeFile writes data with exactly the given permissions, refusing to
// replace an existing file unless overwrite is set.
func writeFile(path string, data []byte, perm fs.FileMode, overwrite bool) error {
	flag := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if overwrite {
		flag = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(path, flag, perm)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s exists; use -force to overwrite it", path)
	}
	if err != nil {
		return err
	}
	// An existing file keeps its mode on open: set it, so that an
	// overwritten private key is never left readable by others.
	if err := f.Chmod(perm); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
